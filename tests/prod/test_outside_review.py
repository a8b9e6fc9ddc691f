"""The outside review's reproductions, replayed on `make prod`'s stack: gunicorn with `DEBUG=0`
and the second factor on, behind nginx over HTTPS, PostgreSQL, its own Redis. Each test repeats
what the reviewer did, over HTTP as the reviewer did it, and checks the answer the portal must
give now. The unit tests beside each control (docs/security.md) cover the variants; these prove
that the production settings keep them.
"""

from __future__ import annotations

import http.client
import json
import re
import ssl

import pytest
import requests
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from complaints.models import Attachment, Complaint
from portal.choices import Role
from tests.complaints.factories import FILED_DESCRIPTION, public_api_body, public_form_fields
from tests.complaints.pdf_corpus import CATALOG, PAGE, PAGES, TEXT, pdf_with_object_stream
from tests.complaints.test_upload_memory import _png
from tests.complaints.test_uploads_pdf import JS_ACTION
from tests.e2e.test_staff_triage import _code
from tests.factories import TEST_PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning"),  # self-signed
]

FORM = "/pengaduan/lapor/"
API_SUBMIT = "/api/v1/complaints/"
API_TRACK = "/api/v1/complaints/track/"
DASHBOARD_PAGES = (
    "/dashboard/",
    "/dashboard/complaints/?party=PT%20Maju%20Jaya",
    "/dashboard/watchlist/",
    "/dashboard/csv/urgent_open/",
)


def _browser_session() -> requests.Session:
    session = requests.Session()
    session.verify = False  # make prod's self-signed certificate
    # (else a CA bundle named in the environment would override verify=False)
    session.trust_env = False
    session.headers["Accept-Language"] = "id"
    return session


def _csrf_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _post_page(stack, session: requests.Session, path: str, data: dict, **kwargs):
    """A form POST as a browser makes it: the page's CSRF token and a same-origin Referer."""
    page = session.get(stack.url + path)
    data = {"csrfmiddlewaretoken": _csrf_from(page.text), **data}
    return session.post(
        stack.url + path,
        data=data,
        headers={"Referer": stack.url + path},
        allow_redirects=False,
        **kwargs,
    )


def _staff(make_staff, office: str, role: str, username: str):
    user = make_staff(office, role, username=username)
    # The suite's fast test hasher is unknown to the stack's own settings: the production one.
    user.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def _password_only(stack, user) -> requests.Session:
    session = _browser_session()
    answer = _post_page(
        stack, session, "/admin/login/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert answer.status_code == 302, answer.text[-2000:]
    assert answer.headers["Location"].startswith("/admin/otp/")
    return session


def _second_factor(stack, session: requests.Session, user) -> requests.Response:
    code = _code(TOTPDevice.objects.get(user=user))
    return _post_page(stack, session, "/admin/otp/", {"token": code})


def _submit_by_api(stack, **overrides) -> dict:
    answer = requests.post(
        stack.url + API_SUBMIT,
        json=public_api_body(**overrides),
        verify=False,  # noqa: S501
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def _https_from(stack, source: str, method: str, path: str, body: dict) -> int:
    """A request from a loopback address of our choice: nginx forwards `source` as the client."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(
        "127.0.0.1", stack.port, timeout=30, context=context, source_address=(source, 0)
    )
    connection.request(
        method, path, body=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_item_1_and_6_staff_pages_need_the_second_factor_and_it_renews_the_session(
    stack, prod_data, make_staff
):
    # given the review's three accounts, signed in with the password only
    users = [
        _staff(make_staff, "bp3mi-jatim", Role.HEAD, "kepala-jatim"),
        _staff(make_staff, "kemenp2mi", Role.MINISTRY_ANALYST, "menteri"),
        _staff(make_staff, "kemenp2mi", Role.CONTENT_EDITOR, "editor"),
    ]
    for user in users:
        session = _password_only(stack, user)
        # when they open the dashboards the review opened
        answers = [session.get(stack.url + path, allow_redirects=False) for path in DASHBOARD_PAGES]
        # then each sends them to the code step, and no figure or reference is in the answer
        assert [a.status_code for a in answers] == [302] * len(DASHBOARD_PAGES), user.username
        assert all(a.headers["Location"].startswith("/admin/otp/") for a in answers)
        assert not any("PMI-" in a.text for a in answers)

    # when the head completes the code step
    head = users[0]
    session = _password_only(stack, head)
    before = dict(session.cookies)
    assert _second_factor(stack, session, head).status_code == 302
    after = dict(session.cookies)
    # then the session has a new key, the dashboard opens, and the old key opens nothing
    (cookie_name,) = [name for name in before if "session" in name]
    assert after[cookie_name] != before[cookie_name]
    assert session.get(stack.url + "/dashboard/", allow_redirects=False).status_code == 200
    stolen = _browser_session()
    stolen.cookies.set(cookie_name, before[cookie_name])
    answer = stolen.get(stack.url + "/dashboard/", allow_redirects=False)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/admin/login/")


def test_item_2_the_content_editor_reads_no_complaint_figure(stack, prod_data, make_staff, offices):
    # given the ministry's content editor, second factor done
    editor = _staff(make_staff, "kemenp2mi", Role.CONTENT_EDITOR, "editor-review")
    session = _password_only(stack, editor)
    assert _second_factor(stack, session, editor).status_code == 302
    # when the editor asks for the review's pages
    paths = [
        f"/dashboard/complaints/?office={offices['bp3mi-jatim'].pk}",
        "/dashboard/csv/urgent_open/",
        "/dashboard/watchlist/",
    ]
    answers = [session.get(stack.url + path, allow_redirects=False) for path in paths]
    # then each is refused
    assert [answer.status_code for answer in answers] == [403, 403, 403]


def test_item_3_wrong_keys_from_anyone_never_lock_the_reporter_out(stack, prod_data):
    # given a complaint, and someone who read its reference in an SMS
    receipt = _submit_by_api(stack)
    wrong = {"reference": receipt["reference"], "access_key": "AAAA-BBBB-CCCC-DDDD-EEEE"}
    # when ten wrong keys come from two addresses (each is throttled after TRACK_LIMIT)
    statuses = [_https_from(stack, "127.0.0.11", "POST", API_TRACK, wrong) for _ in range(5)]
    statuses += [_https_from(stack, "127.0.0.12", "POST", API_TRACK, wrong) for _ in range(5)]
    assert 429 in statuses  # the guessing clients are slowed down
    # then the reporter's right key still works, on tracking and on the messages endpoint
    right = {"reference": receipt["reference"], "access_key": receipt["access_key"]}
    assert _https_from(stack, "127.0.0.13", "POST", API_TRACK, right) == 200
    message = {**right, "body": "Saya masih menunggu jawaban."}
    assert _https_from(stack, "127.0.0.13", "POST", "/api/v1/complaints/messages/", message) == 201


def test_item_4_and_10_hostile_pdf_and_huge_image_are_refused_and_nothing_is_stored(
    stack, prod_data
):
    # given the review's PDF: JavaScript on open, hidden in a Flate object stream with
    # `endstream` right after the data; and a 6,300 x 6,300 PNG of a few hundred KB
    hostile_pdf = pdf_with_object_stream(
        [CATALOG % b"/OpenAction 5 0 R ", PAGES, PAGE % b"", TEXT],
        [JS_ACTION],
        stream_filter="FlateDecode",
        eol_before_end=False,
    )
    files = {
        # name: (content, type, the refusal the reporter reads, in Indonesian)
        "kontrak.pdf": (hostile_pdf, "application/pdf", "PDF kontrak berisi skrip"),
        "foto.png": (_png(6300, 6300), "image/png", "Foto foto terlalu besar (6300 x 6300"),
    }
    for name, (content, content_type, refusal) in files.items():
        session = _browser_session()
        form = session.get(stack.url + FORM).text
        token = re.search(r'name="submission_token" value="([^"]+)"', form).group(1)
        # when it is attached to an otherwise valid complaint
        answer = session.post(
            stack.url + FORM,
            data={
                "csrfmiddlewaretoken": _csrf_from(form),
                "submission_token": token,
                **public_form_fields(),
            },
            files={"attachments": (name, content, content_type)},
            headers={"Referer": stack.url + FORM},
            timeout=60,
        )
        # then the form comes back (400) with the reason next to the field, in Indonesian
        assert answer.status_code == 400, name
        assert 'id="form-errors"' in answer.text
        assert refusal in answer.text
    # and nothing was filed or stored
    assert Complaint.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_item_7_the_pages_token_never_returns_the_reporters_receipt(stack, prod_data):
    # given a reporter who submitted the form; someone kept the page's token
    session = _browser_session()
    form = session.get(stack.url + FORM).text
    token = re.search(r'name="submission_token" value="([^"]+)"', form).group(1)
    receipt_page = session.post(
        stack.url + FORM,
        data={
            "csrfmiddlewaretoken": _csrf_from(form),
            "submission_token": token,
            **public_form_fields(),
        },
        headers={"Referer": stack.url + FORM},
        timeout=60,
    )
    assert receipt_page.status_code == 201
    reference = Complaint.objects.get().reference
    # when the token is replayed to the API with the same fields
    replay = requests.post(
        stack.url + API_SUBMIT,
        json=public_api_body(submission_token=token),
        verify=False,  # noqa: S501
        timeout=30,
    )
    # then the API refuses the form's token and returns no receipt
    assert replay.status_code == 400
    assert reference not in replay.text
    assert "access_key" not in replay.json()
    assert Complaint.objects.count() == 1


def test_item_8_crafted_input_answers_400(stack, prod_data, make_staff):
    # given JSON nested 5,000 deep, and NUL bytes in filters
    deep = "[" * 5000 + "]" * 5000
    nested = requests.post(
        stack.url + API_SUBMIT,
        data=deep,
        headers={"Content-Type": "application/json"},
        verify=False,  # noqa: S501
        timeout=30,
    )
    outreach = requests.get(stack.url + "/api/v1/outreach/?province=%00", verify=False, timeout=30)  # noqa: S501
    analyst = _staff(make_staff, "kemenp2mi", Role.MINISTRY_ANALYST, "analis-review")
    session = _password_only(stack, analyst)
    assert _second_factor(stack, session, analyst).status_code == 302
    party = session.get(stack.url + "/dashboard/complaints/?party=%00", allow_redirects=False)
    # then each is a clear 400, never a server error
    assert [nested.status_code, outreach.status_code, party.status_code] == [400, 400, 400]


def test_item_9_and_11_answers_are_not_stored_the_csrf_cookie_dies_and_forms_cannot_post_the_api(
    stack, prod_data
):
    # given a complaint filed through the API
    submitted = requests.post(
        stack.url + API_SUBMIT,
        json=public_api_body(),
        verify=False,  # noqa: S501
        timeout=30,
    )
    receipt = submitted.json()
    tracked = requests.post(
        stack.url + API_TRACK,
        json={"reference": receipt["reference"], "access_key": receipt["access_key"]},
        verify=False,  # noqa: S501
        timeout=30,
    )
    # then neither answer may be kept by a cache or the browser
    assert "no-store" in submitted.headers["Cache-Control"]
    assert "no-store" in tracked.headers["Cache-Control"]
    # and the CSRF cookie of the form is a session cookie (no Expires, no Max-Age)
    form = requests.get(stack.url + FORM, verify=False, timeout=30)  # noqa: S501
    csrf_cookie = next(c for c in form.raw.headers.getlist("Set-Cookie") if c.startswith("csrf"))
    assert "expires" not in csrf_cookie.lower()
    assert "max-age" not in csrf_cookie.lower()
    # and the server is not announced as gunicorn
    assert form.headers["Server"] == "nginx"
    # when another site's form posts to the public API (form-encoded)
    cross_site = requests.post(
        stack.url + API_SUBMIT,
        data={
            "category": "gaji-tidak-dibayar",
            "description": FILED_DESCRIPTION,
            "consent": "true",
        },
        verify=False,  # noqa: S501
        timeout=30,
    )
    # then it is refused, and only the API complaint above exists
    assert cross_site.status_code == 415
    assert Complaint.objects.count() == 1


def test_item_12_a_foreign_next_goes_to_the_code_step(stack, prod_data, make_staff):
    # given a head signing in from a link with a foreign next=
    head = _staff(make_staff, "bp3mi-jatim", Role.HEAD, "kepala-next")
    session = _browser_session()
    answer = _post_page(
        stack,
        session,
        "/admin/login/?next=https://evil.example/",
        {"username": head.username, "password": TEST_PASSWORD},
    )
    # then the password step leads to the code step on this site, never off it
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/admin/otp/")
    assert "evil.example" not in session.get(stack.url + answer.headers["Location"]).url
