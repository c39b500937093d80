export { FakePeerConnection, fakePeerConnectionFactory } from './fake-peer-connection';
export { FakeWebSocket, fakeSocketFactory } from './fake-websocket';
