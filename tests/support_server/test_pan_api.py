"""PAN API tests with the fake reader: auth, upload checks, busy queue, delivery to employees.

The real model runs in test_pan_model.py; here the OCR workers use
``support_server.testing.FakeCardReader`` so that the HTTP behaviour is fast to test.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any

import httpx
import pytest
from live_server import Client, Live, ServerFactory
from PIL import Image

from support_server.testing import FAKE_CARD, FAKE_CROP

JPEG = b"\xff\xd8\xff\xe0fake jpeg body"


def phone_photo(width: int = 3000, height: int = 2000, *, seed: int = 0) -> bytes:
    """A real JPEG carrying a GPS tag, as phones send them (noisy, so it does not shrink)."""
    noise = Image.effect_noise((width, height), 40 + seed).convert("RGB")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (19.0, 4.0, 30.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    noise.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


async def wait_ready(live: Live) -> None:
    async with live.http() as http:
        for _ in range(300):
            if (await http.get("/readyz")).status_code == 200:
                return
            await asyncio.sleep(0.1)
    raise AssertionError("OCR workers never became ready")


async def joined(live: Live) -> tuple[Client, str, str]:
    customer = await live.customer()
    welcome = next(m for m in customer.seen if m["type"] == "welcome")
    return customer, welcome["customer_id"], welcome["token"]


async def upload(
    live: Live, data: bytes, token: str | None, *, field: str = "image", **kwargs: Any
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with live.http() as http:
        return await http.post(
            "/api/pan/extract",
            files={field: ("card.jpg", data, "image/jpeg")},
            headers=headers,
            **kwargs,
        )


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    """The response has this HTTP status and this error code in its JSON body."""
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


async def employee_in_call(live: Live, customer_id: str) -> Client:
    """Connect priya and let her pick the customer; returns her socket once paired."""
    employee = await live.employee("priya")
    await employee.send({"type": "pick", "customer_id": customer_id})
    await employee.expect("paired")
    return employee


async def test_extract_returns_the_card_for_a_customer_token(live: Live) -> None:
    """A customer's upload answers panread's to_dict() JSON."""
    await wait_ready(live)
    _, _, token = await joined(live)
    response = await upload(live, JPEG, token)
    assert response.status_code == 200
    assert response.json() == FAKE_CARD


async def test_raw_image_body_is_accepted(live: Live) -> None:
    """A raw image/* body works as well as multipart."""
    await wait_ready(live)
    _, _, token = await joined(live)
    async with live.http() as http:
        response = await http.post(
            "/api/pan/extract",
            content=JPEG,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"},
        )
    assert response.status_code == 200


async def test_missing_or_bad_token_is_401(live: Live) -> None:
    """Without a token, or with an unknown one, the upload is refused with 401."""
    for token in (None, "not-a-token"):
        response = await upload(live, JPEG, token)
        assert_error(response, 401, "unauthorized")


async def test_missing_field_and_empty_file(live: Live) -> None:
    """No image field, a non-image body, or zero bytes are 400s with their own codes."""
    _, _, token = await joined(live)
    wrong_field = await upload(live, JPEG, token, field="picture")
    assert_error(wrong_field, 400, "missing_image")
    async with live.http() as http:
        as_json = await http.post(
            "/api/pan/extract", json={"x": 1}, headers={"Authorization": f"Bearer {token}"}
        )
    assert_error(as_json, 400, "missing_image")
    empty = await upload(live, b"", token)
    assert_error(empty, 400, "empty_file")


async def test_too_many_bytes_is_413(start_server: ServerFactory) -> None:
    """A file over SUPPORT_MAX_UPLOAD_BYTES is 413 image_too_large, even far over it."""
    live = await start_server(max_upload_bytes=1000)
    _, _, token = await joined(live)
    over = await upload(live, JPEG + b"x" * 2000, token)
    assert_error(over, 413, "image_too_large")
    huge = await upload(live, JPEG + b"x" * 2_000_000, token)
    assert_error(huge, 413, "image_too_large")


async def test_reader_errors_map_to_statuses(live: Live) -> None:
    """panread errors from the worker become 415 not_an_image and 422 no_card_found."""
    await wait_ready(live)
    _, _, token = await joined(live)
    not_image = await upload(live, b"NOTIMAGE", token)
    assert_error(not_image, 415, "not_an_image")
    no_card = await upload(live, b"NOCARD", token)
    assert_error(no_card, 422, "no_card_found")


async def test_upload_rate_limit_is_429(start_server: ServerFactory) -> None:
    """Too many uploads by one caller get 429 with Retry-After."""
    live = await start_server(upload_rate_per_min=2)
    await wait_ready(live)
    _, _, token = await joined(live)
    statuses = [(await upload(live, JPEG, token)).status_code for _ in range(3)]
    assert statuses[:2] == [200, 200]
    limited = await upload(live, JPEG, token)
    assert_error(limited, 429, "rate_limited")
    assert int(limited.headers["retry-after"]) >= 1


async def test_full_ocr_queue_answers_503_with_retry_after(start_server: ServerFactory) -> None:
    """With every worker busy and no queue room, an upload gets 503 busy and Retry-After."""
    live = await start_server(ocr_workers=1, ocr_queue=1)
    await wait_ready(live)
    tokens = [(await joined(live))[2] for _ in range(4)]
    responses = await asyncio.gather(*(upload(live, b"SLOW" + JPEG, t) for t in tokens))
    statuses = sorted(r.status_code for r in responses)
    assert 503 in statuses
    assert 200 in statuses
    busy = next(r for r in responses if r.status_code == 503)
    assert_error(busy, 503, "busy")
    assert int(busy.headers["retry-after"]) >= 1


async def test_result_is_pushed_to_paired_employee_with_image(live: Live) -> None:
    """During a call the employee gets pan_result and only they can fetch its two images."""
    await wait_ready(live)
    _, cid, token = await joined(live)
    employee = await employee_in_call(live, cid)
    response = await upload(live, JPEG, token)
    assert response.status_code == 200
    pushed = await employee.expect("pan_result")
    assert pushed["result"] == FAKE_CARD
    url = pushed["image_url"]
    assert url.startswith("/api/pan/images/")
    assert pushed["original_url"] == url + "/original"
    priya = await live.login("priya")
    await live.add_employee("other")
    other = await live.login("other")
    async with live.http() as http:
        for address, served in ((url, FAKE_CROP), (pushed["original_url"], JPEG)):
            mine = await http.get(address, headers={"Authorization": f"Bearer {priya}"})
            assert mine.status_code == 200
            assert mine.content == served
            assert mine.headers["content-type"] == "image/jpeg"
            for bearer in (other, token):
                denied = await http.get(address, headers={"Authorization": f"Bearer {bearer}"})
                assert denied.status_code == 404
            assert (await http.get(address)).status_code == 404
    await employee.nothing(skip=("queue", "queue_changes"))


def card_on_a_table() -> tuple[bytes, tuple[int, int]]:
    """A rendered card lying on a plain dark table in a 1600 x 1200 photo (with a GPS tag),
    and the card's size in it."""
    import random

    from panread.testing import random_card_spec, render_card

    card = render_card(random_card_spec(random.Random(8), "new"), seed=8, width=800)
    photo = Image.new("RGB", (1600, 1200), (60, 55, 50))
    photo.paste(card, (400, 350))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (19.0, 4.0, 30.0)}
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue(), card.size


async def test_employee_sees_the_card_cut_out_and_can_open_the_photo(live: Live) -> None:
    """image_url serves the card alone, flat and upright; original_url the whole photo."""
    await wait_ready(live)
    _, cid, token = await joined(live)
    employee = await employee_in_call(live, cid)
    photo, (card_w, card_h) = card_on_a_table()
    assert (await upload(live, photo, token)).status_code == 200
    pushed = await employee.expect("pan_result")
    priya = await live.login("priya")
    async with live.http() as http:
        crop = await http.get(pushed["image_url"], headers={"Authorization": f"Bearer {priya}"})
        whole = await http.get(pushed["original_url"], headers={"Authorization": f"Bearer {priya}"})
    assert crop.headers["content-type"] == whole.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(crop.content)) as img:
        assert not img.getexif()
        assert abs(img.width / img.height - card_w / card_h) < 0.08
        assert img.width < 1600
    with Image.open(io.BytesIO(whole.content)) as img:
        assert not img.getexif()
        assert img.size == (1600, 1200)


async def test_result_waits_for_the_employee_who_picks(live: Live) -> None:
    """An upload while waiting shows as read in the queue and reaches the employee on pick."""
    await wait_ready(live)
    _, cid, token = await joined(live)
    employee = await live.employee()
    assert (await upload(live, JPEG, token)).status_code == 200
    queue = await employee.expect_queue(
        lambda q: any(c["pan_status"] == "read" for c in q.customers)
    )
    assert queue.ids[0] == cid
    await employee.send({"type": "pick", "customer_id": cid})
    paired = await employee.expect("paired")
    assert paired["customer"]["pan_status"] == "read"
    assert (await employee.expect("pan_result", skip=()))["result"] == FAKE_CARD


async def test_employee_upload_is_stored_for_the_customer_in_the_call(live: Live) -> None:
    """An employee may upload for the customer they are with (e.g. a frame from the video)."""
    await wait_ready(live)
    _, cid, _ = await joined(live)
    employee = await employee_in_call(live, cid)
    token = await live.login("priya")
    response = await upload(live, JPEG, token)
    assert response.status_code == 200
    await employee.expect("pan_result")


async def test_logs_mask_pans_and_never_contain_names(
    live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    """A whole session logs ids and a masked PAN, never the customer's name or full PAN."""
    caplog.set_level(logging.DEBUG, logger="support_server")
    await wait_ready(live)
    customer = await live.customer("Zebulon Quartermain")
    token = next(m["token"] for m in customer.seen if m["type"] == "welcome")
    assert (await upload(live, JPEG, token)).status_code == 200
    await customer.send(
        {"type": "pan_confirm", "fields": {"pan": "ABCPE1234F", "name": "Zebulon Quartermain"}}
    )
    await customer.expect("pan_confirmed")
    await customer.send({"type": "leave"})
    await customer.expect("bye")
    text = caplog.text
    assert "event=customer_joined" in text
    assert "pan=ABCPXXXX4F" in text
    assert "Zebulon" not in text
    assert "ABCPE1234F" not in text


async def test_crashed_worker_is_replaced(live: Live) -> None:
    """A worker process that dies answers 503 for that upload; the pool then works again."""
    await wait_ready(live)
    _, _, token = await joined(live)
    crashed = await upload(live, b"CRASH", token)
    assert_error(crashed, 503, "ocr_unavailable")
    assert "retry-after" in crashed.headers
    again = await upload(live, JPEG, token)
    assert again.status_code == 200
    assert again.json() == FAKE_CARD


async def test_employee_sees_a_small_upright_copy_without_metadata(live: Live) -> None:
    """The kept photo is a JPEG of at most 1600 px with no EXIF: a phone's GPS tag is gone."""
    await wait_ready(live)
    _, cid, token = await joined(live)
    employee = await employee_in_call(live, cid)
    photo = phone_photo()
    assert (await upload(live, photo, token)).status_code == 200
    url = (await employee.expect("pan_result"))["original_url"]
    priya = await live.login("priya")
    async with live.http() as http:
        kept = await http.get(url, headers={"Authorization": f"Bearer {priya}"})
    assert kept.status_code == 200
    assert kept.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(kept.content)) as img:
        assert img.size == (1600, 1067)
        assert not img.getexif()


async def test_images_past_the_memory_budget_answer_410(start_server: ServerFactory) -> None:
    """Past SUPPORT_IMAGE_MEMORY_BYTES the oldest image is dropped; its result stays."""
    live = await start_server(image_memory_bytes=1_000)
    await wait_ready(live)
    _, first, first_token = await joined(live)
    _, _, second_token = await joined(live)
    assert (await upload(live, phone_photo(400, 300), first_token)).status_code == 200
    assert (await upload(live, phone_photo(400, 300, seed=1), second_token)).status_code == 200
    employee = await employee_in_call(live, first)
    pushed = await employee.expect("pan_result", skip=("queue", "queue_changes"))
    assert pushed["result"] == FAKE_CARD
    priya = await live.login("priya")
    async with live.http() as http:
        gone = await http.get(pushed["image_url"], headers={"Authorization": f"Bearer {priya}"})
    assert_error(gone, 410, "image_dropped")
