"""Two real aiortc peers complete a WebRTC call through the server's signaling."""

from __future__ import annotations

import asyncio
from typing import Any

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
    VideoStreamTrack,
)
from av import VideoFrame
from live_server import Client, Live

FRAMES = 5


def description(pc: RTCPeerConnection) -> dict[str, Any]:
    local = pc.localDescription
    return {"description": {"type": local.type, "sdp": local.sdp}}


def collect_frames(
    pc: RTCPeerConnection, received: asyncio.Future[int], tasks: set[asyncio.Task[None]]
) -> None:
    """Count video frames arriving on ``pc``; resolve ``received`` after FRAMES of them."""

    async def consume(track: MediaStreamTrack) -> None:
        for _ in range(FRAMES):
            frame = await track.recv()
            assert isinstance(frame, VideoFrame)
            assert frame.width > 0
        if not received.done():
            received.set_result(FRAMES)

    @pc.on("track")
    def on_track(track: MediaStreamTrack) -> None:
        if track.kind == "video":
            task = asyncio.ensure_future(consume(track))
            tasks.add(task)
            task.add_done_callback(tasks.discard)


async def video_call(employee: Client, customer: Client) -> None:
    """An aiortc employee offers, an aiortc customer answers through ``employee`` and
    ``customer``'s signaling sockets (already paired), and frames flow both ways."""
    loop = asyncio.get_running_loop()
    employee_got: asyncio.Future[int] = loop.create_future()
    customer_got: asyncio.Future[int] = loop.create_future()
    employee_pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    customer_pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    try:
        tasks: set[asyncio.Task[None]] = set()
        collect_frames(employee_pc, employee_got, tasks)
        collect_frames(customer_pc, customer_got, tasks)
        employee_pc.addTrack(VideoStreamTrack())
        await employee_pc.setLocalDescription(await employee_pc.createOffer())
        await employee.send({"type": "signal", "data": description(employee_pc)})
        offer = (await customer.expect("signal"))["data"]["description"]
        assert offer["type"] == "offer"
        await customer_pc.setRemoteDescription(RTCSessionDescription(**offer))
        customer_pc.addTrack(VideoStreamTrack())
        await customer_pc.setLocalDescription(await customer_pc.createAnswer())
        await customer.send({"type": "signal", "data": description(customer_pc)})
        answer = (await employee.expect("signal"))["data"]["description"]
        assert answer["type"] == "answer"
        await employee_pc.setRemoteDescription(RTCSessionDescription(**answer))
        got = await asyncio.wait_for(asyncio.gather(employee_got, customer_got), timeout=60)
        assert list(got) == [FRAMES, FRAMES]
        assert employee_pc.connectionState == "connected"
        assert customer_pc.connectionState == "connected"
    finally:
        await employee_pc.close()
        await customer_pc.close()


async def test_aiortc_peers_exchange_video_through_signaling(live: Live) -> None:
    """An aiortc employee offers, an aiortc customer answers, and frames flow both ways."""
    customer = Client(await live.raw_socket("/ws/customer"))
    await customer.send({"type": "join", "name": "Video Customer"})
    welcome = await customer.expect("welcome")
    employee = await live.employee()
    await employee.send({"type": "pick", "customer_id": welcome["customer_id"]})
    await employee.expect("paired")
    await customer.expect("paired")

    await video_call(employee, customer)
