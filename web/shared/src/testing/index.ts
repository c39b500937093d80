export { FakePeerConnection, fakePeerConnectionFactory } from './fake-peer-connection';
export { FakeWebSocket, fakeSocketFactory } from './fake-websocket';
export { waitInAct } from './wait-in-act';
