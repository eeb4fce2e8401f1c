"""A meeting end to end through the pages: prepare, convene, hold, vote, minute, sign,
publish; the htmx attendance sheet; uploads; the PDF in French and Arabic (pdftotext)."""

from __future__ import annotations

import html
import shutil
import subprocess
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sharaka.meetings import services
from sharaka.meetings.models import BoardDocument, Decision, Meeting, Minutes, Motion
from tests.conftest import sign_in
from tests.core.test_pdf import check_archival_tagged
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _page(response: Any) -> str:
    """The page's text as the reader sees it (entities decoded)."""
    return html.unescape(response.content.decode())


def _pdftotext(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=data,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def test_a_meeting_end_to_end_in_the_browser(
    mw: MeetingWorld, tmp_path: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    mw.settings(notice_period_days=0)  # convened today, held today
    base = f"/partenariats/{mw.w.a.slug}/reunions/"
    secretary = _client(mw.users["secretary"])

    # Prepare
    start = timezone.localtime() + timedelta(hours=1)
    if start.date() != timezone.localdate():  # late evening: the meeting is held today
        start = timezone.localtime().replace(hour=23, minute=59)
    response = secretary.post(
        base + "nouvelle/",
        {
            "kind": "ordinary",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "place": "Salle du conseil",
            "title": "Séance test",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{base}{meeting.pk}/"
    url = f"{base}{meeting.pk}/"
    for kind, title in (("information", "Rapport"), ("deliberation", "Budget 2027")):
        secretary.post(url + "ordre-du-jour/ajouter/", {"kind": kind, "title": title})
    page = secretary.get(url).content.decode()
    assert "Rapport" in page and "Budget 2027" in page and "Convoquer" in page

    # Board pack: accepted and refused uploads
    pdf = SimpleUploadedFile("budget.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    secretary.post(url + "documents/ajouter/", {"title": "Projet de budget", "file": pdf})
    fake = SimpleUploadedFile("budget.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = secretary.post(url + "documents/ajouter/", {"title": "Faux", "file": fake})
    assert response.status_code == 200 and "ne correspond pas" in _page(response)
    exe = SimpleUploadedFile("outil.exe", b"MZ", content_type="application/octet-stream")
    response = secretary.post(url + "documents/ajouter/", {"title": "Exe", "file": exe})
    assert "Format refusé" in _page(response)  # on the form's own page, nothing saved
    assert list(BoardDocument.objects.values_list("title", flat=True)) == ["Projet de budget"]
    document = BoardDocument.objects.get()
    download = secretary.get(f"{url}documents/{document.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # Convene (confirmation first), remind, open
    confirm = secretary.get(url + "convoquer/").content.decode()
    assert "Délai de convocation : 0 jours" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(url + "convoquer/", follow=True)
    assert any("mise en file d'attente pour 5 destinataires" in m for m in _messages(response))
    assert len(mail.outbox) == 5
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(url + "rappel/")
    assert len(mail.outbox) == 10
    assert secretary.get(url + "invitation.ics").content.startswith(b"BEGIN:VCALENDAR")
    secretary.post(url + "ouvrir/")
    assert Meeting.objects.get().status == "held"

    # Attendance through htmx: the sheet comes back as a partial with the quorum
    m = mw.m
    sheet = {f"m{m[n].pk}_status": "present" for n in ("chair", "secretary", "a", "c")}
    sheet |= {
        f"m{m['b'].pk}_status": "proxy",
        f"m{m['b'].pk}_holder": str(m["a"].pk),
        f"m{m['b'].pk}_reference": "Pouvoir du 3 mars",
        f"m{m['expert'].pk}_status": "present",
    }
    response = secretary.post(url + "presences/", sheet, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "5 / 5" in body and "Quorum atteint" in body
    bad = dict(sheet) | {
        f"m{m['c'].pk}_status": "proxy",
        f"m{m['c'].pk}_holder": str(m["a"].pk),
        f"m{m['c'].pk}_reference": "x",
    }
    body = secretary.post(url + "presences/", bad, HTTP_HX_REQUEST="true").content.decode()
    assert "pouvoirs" in body  # the refusal is shown on the sheet
    assert "5 / 5" in secretary.get(url + "quorum/").content.decode()

    # Conflict of interest, vote, close
    item = meeting.items.get(position=2)
    item_url = f"{url}points/{item.pk}/"
    member_c = _client(mw.users["c"])
    member_c.post(item_url + "conflit/", {"reason": "Fournisseur"})
    assert "C Membre" in secretary.get(item_url).content.decode()
    secretary.post(
        item_url + "vote/",
        {"text": "Le budget 2027 est adopté.", "voting_mode": "nominal", "decision_kind": "other"},
    )
    motion = Motion.objects.get()
    member_a = _client(mw.users["a"])
    page = member_a.get(item_url).content.decode()
    assert "Votre vote" in page and "Vote pour B Membre (pouvoir)" in page
    member_a.post(f"{url}votes/{motion.pk}/voter/", {"choice": "yes"})
    member_a.post(
        f"{url}votes/{motion.pk}/voter/",
        {
            "for_mandate": str(m["b"].pk),
            f"p{m['b'].pk}-choice": "yes",
            f"p{m['b'].pk}-for_mandate": str(m["b"].pk),
        },
    )
    response = member_a.post(f"{url}votes/{motion.pk}/voter/", {"choice": "no"})
    assert "déjà enregistré" in _page(response)
    response = member_c.post(f"{url}votes/{motion.pk}/voter/", {"choice": "no"})
    assert "conflit d'intérêts" in _page(response)
    secretary.post(
        f"{url}votes/{motion.pk}/saisir/",
        {f"m{m['chair'].pk}": "yes", f"m{m['secretary'].pk}": "abstain"},
    )
    assert motion.ballots.count() == 4
    assert "Clore le vote" in secretary.get(f"{url}votes/{motion.pk}/clore/").content.decode()
    secretary.post(f"{url}votes/{motion.pk}/clore/")
    decision = Decision.objects.get()
    page = secretary.get(item_url).content.decode()
    assert decision.number in page and "La délibération est adoptée." in page

    # Minutes: draft, edit, sign twice, publish
    secretary.post(url + "proces-verbal/rediger/")
    minutes = Minutes.objects.get()
    secretary.post(
        url + "proces-verbal/modifier/",
        {
            "opening_text": "Séance ouverte à 10 h.",
            "closing_text": "Séance levée.",
            "item_2": "Discussion sur le budget.",
        },
    )
    page = secretary.get(url + "proces-verbal/").content.decode()
    assert "Séance ouverte à 10 h." in page and "Discussion sur le budget." in page
    assert "Ne prennent pas part au vote (conflit d&#x27;intérêts) : C Membre." in page
    chair = _client(mw.users["chair"])
    assert "Signer" in chair.get(url + "proces-verbal/signer/?role=chair").content.decode()
    chair.post(url + "proces-verbal/signer/", {"role": "chair"})
    response = chair.post(url + "proces-verbal/signer/", {"role": "chair"})
    assert "déjà la signature" in _page(response)  # shown on the question, nothing signed
    secretary.post(url + "proces-verbal/signer/", {"role": "secretary"})
    minutes.refresh_from_db()
    assert minutes.is_signed
    response = secretary.post(
        url + "proces-verbal/modifier/", {"opening_text": "Changé", "closing_text": ""}
    )
    assert "ne change plus" in response.content.decode()
    secretary.post(url + "proces-verbal/publier/")
    assert Meeting.objects.get().status == "published"

    # The public reads it; the PDF in French and in Arabic
    mw.w.a.status = "active"
    mw.w.a.save()
    public = Client().get(f"/portail/{mw.w.a.slug}/proces-verbaux/{meeting.pk}/")
    assert public.status_code == 200 and "Budget 2027" in public.content.decode()
    archived = secretary.get(url + "proces-verbal/pdf/?lang=ar").content
    reader = check_archival_tagged(
        archived, title=f"محضر اجتماع المجلس — \u2068{mw.w.a.title}\u2069", lang="ar"
    )  # PDF/A-3u, tagged, titled in the document's language (core.pdf)
    assert reader.metadata is not None and reader.metadata.author == mw.w.a.title
    if shutil.which("pdftotext"):
        fr = secretary.get(url + "proces-verbal/pdf/?lang=fr")
        assert fr["Content-Type"] == "application/pdf"
        text = _pdftotext(fr.content)
        assert "Procès-verbal de la réunion du conseil" in text
        assert "Budget 2027" in text and decision.number in text
        assert "La délibération est adoptée." in text
        ar = _pdftotext(
            Client()
            .get(f"/portail/{mw.w.a.slug}/proces-verbaux/{meeting.pk}/?lang=ar&format=pdf")
            .content
        )
        assert "محضر اجتماع المجلس" in ar and "تم اعتماد المقرر" in ar
        en = _pdftotext(secretary.get(url + "proces-verbal/pdf/?lang=en").content)
        assert "Minutes of the board meeting" in en and "The motion is adopted." in en


def test_the_secret_ballot_page_never_shows_who_voted_what(mw: MeetingWorld) -> None:
    meeting = mw.session()
    motion = mw.motion(meeting, mode="secret")
    services.ballot_cast(by=mw.users["a"], motion=motion, choice="no")
    services.ballot_cast(by=mw.users["b"], motion=motion, choice="yes")
    item_url = f"/partenariats/{mw.w.a.slug}/reunions/{meeting.pk}/points/{motion.item_id}/"
    page = _client(mw.admin).get(item_url).content.decode()
    assert "2 bulletin(s) reçu(s)" in page and "A Membre : " not in page
    services.motion_close(by=mw.admin, motion=motion)
    page = _client(mw.admin).get(item_url).content.decode()
    assert "Scrutin secret : seul le décompte est connu." in page
    assert "A Membre : " not in page and "Votes nominatifs" not in page
    minutes = services.minutes_draft(by=mw.admin, meeting=meeting)
    page = (
        _client(mw.admin)
        .get(f"/partenariats/{mw.w.a.slug}/reunions/{meeting.pk}/proces-verbal/")
        .content.decode()
    )
    assert "seul le décompte est publié" in page and "A Membre : contre" not in page
    assert minutes.content["items"][0]["motions"][0]["votes"] is None


def test_pages_in_arabic_are_right_to_left(mw: MeetingWorld) -> None:
    meeting = mw.meeting()
    client = _client(mw.admin)
    body = client.get(
        f"/partenariats/{mw.w.a.slug}/reunions/{meeting.pk}/", headers={"Accept-Language": "ar"}
    ).content.decode()
    assert 'dir="rtl"' in body


def test_empty_states(mw: MeetingWorld) -> None:
    client = _client(mw.w.auditor)
    body = client.get(f"/partenariats/{mw.w.a.slug}/reunions/").content.decode()
    assert "Aucune réunion prévue." in body and "Nouvelle réunion" not in body
    body = client.get(f"/partenariats/{mw.w.a.slug}/decisions/").content.decode()
    assert "Aucune décision" in body
    no_board = _client(mw.admin).get(f"/partenariats/{mw.w.b.slug}/reunions/").content.decode()
    assert "pas encore de conseil" in no_board


def test_decision_register_search(mw: MeetingWorld) -> None:
    for title in ("Budget", "Tarifs"):
        meeting = mw.open(mw.convene(mw.meeting(items=(("deliberation", title),))))
        mw.attend(meeting, chair="present", secretary="present", a="present")
        motion = mw.motion(meeting)
        mw.record(motion, chair="yes")
        services.motion_close(by=mw.admin, motion=motion)
    client = _client(mw.w.treasurer)
    url = f"/partenariats/{mw.w.a.slug}/decisions/"
    body = client.get(url, {"q": "Tarif"}).content.decode()
    assert "Tarifs" in body and ">Budget<" not in body
    partial = client.get(url, {"q": "CA-"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "2 décisions" in partial


def test_posting_attendance_when_the_roll_is_closed_is_refused(mw: MeetingWorld) -> None:
    """A prepared (not yet convened) or published meeting has no roll to edit: a POST
    says so instead of failing with a 500."""
    meeting = mw.meeting()
    url = f"/partenariats/{mw.w.a.slug}/reunions/{meeting.pk}/presences/"
    secretary = _client(mw.users["secretary"])
    sheet = {f"m{mw.m['a'].pk}_status": "present"}
    response = secretary.post(url, sheet)
    assert response.status_code == 200
    assert "feuille de présence" in _page(response).lower()
    assert not meeting.attendances.exists()


def test_refusals_come_back_on_the_form_or_the_question(mw: MeetingWorld) -> None:
    """Every form and question goes through core.pages: a service's refusal is shown on
    the form (on its field when it names one) or on the question, and nothing changes."""
    mw.settings(notice_period_days=30)
    meeting = mw.meeting(days=20)
    url = f"/partenariats/{mw.w.a.slug}/reunions/{meeting.pk}/"
    secretary = _client(mw.users["secretary"])
    response = secretary.post(url + "convoquer/")
    assert response.status_code == 200 and "Délai de convocation trop court" in _page(response)
    assert Meeting.objects.get(pk=meeting.pk).status == "planned" and not mail.outbox
    response = secretary.post(url + "ordre-du-jour/ajouter/", {"kind": "information"})
    assert response.status_code == 200 and "Ajouter un point" in _page(response)
    assert meeting.items.count() == 1
    form = secretary.get(url + "ordre-du-jour/ajouter/")
    assert form.status_code == 200 and mw.board.name in _page(form)  # the meeting's head
    mw.settings(notice_period_days=0)
    mw.convene(meeting)
    item = meeting.items.get()
    response = secretary.post(url + f"points/{item.pk}/deplacer/", {"direction": "up"})
    assert response.status_code == 200 and "arrêté" in _page(response)


def test_forms_and_questions_are_refused_to_non_managers(mw: MeetingWorld) -> None:
    meeting = mw.meeting()
    base = f"/partenariats/{mw.w.a.slug}/reunions/"
    member = _client(mw.users["b"])
    starts = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    assert (
        member.post(base + "nouvelle/", {"kind": "ordinary", "starts_at": starts}).status_code
        == 403
    )
    assert member.get(f"{base}{meeting.pk}/ordre-du-jour/ajouter/").status_code == 403
    assert member.post(f"{base}{meeting.pk}/rappel/").status_code == 403
    assert Meeting.objects.count() == 1


def test_every_form_and_question_page_renders(mw: MeetingWorld) -> None:
    """GET on each form and question of a meeting: the core page, under the meeting's head."""
    planned = mw.meeting()
    held = mw.session(chair="absent", secretary="absent", a="absent", b="absent")
    item = held.items.get()
    client = _client(mw.admin)
    base = f"/partenariats/{mw.w.a.slug}/reunions/"
    pages = [
        (f"{base}nouvelle/", "Nouvelle réunion du conseil"),
        (f"{base}{planned.pk}/modifier/", "Modifier la réunion"),
        (f"{base}{planned.pk}/ordre-du-jour/ajouter/", "Ajouter un point"),
        (f"{base}{planned.pk}/documents/ajouter/", "Dossier de séance"),
        (f"{base}{planned.pk}/convoquer/", "Convoquer le conseil"),
        (f"{base}{held.pk}/seconde-convocation/", "Le quorum n'est pas atteint"),
        (f"{base}{held.pk}/proces-verbal/rediger/", "Clore la séance"),
        (f"{base}{held.pk}/points/{item.pk}/", "Quorum non atteint"),
    ]
    for url, text in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in _page(response), url
    services.minutes_draft(by=mw.admin, meeting=held)
    for url, text in (
        (f"{base}{held.pk}/proces-verbal/modifier/", "Point 1 — Budget"),
        (f"{base}{held.pk}/proces-verbal/signer/?role=secretary", "en qualité de secrétaire"),
    ):
        response = client.get(url)
        assert response.status_code == 200 and text in _page(response), url
