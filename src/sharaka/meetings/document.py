# ruff: noqa: RUF001  (Arabic text: its letters are not look-alikes)
"""The minutes as a document in one language (fr, ar or en), laid out from the stored
record alone: the page, the print view and the PDF (WeasyPrint) share one template.

The document's language is chosen by the reader, independent of the interface language, so
its fixed words are data in the three languages (as for the convention), and each vote is
explained in the rules engine's own sentences in that language. What the secretary wrote
(opening, debates, closing) is shown as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from sharaka.core import bidi
from sharaka.core.pdf import write_pdf
from sharaka.meetings.models import Erratum, Minutes, MinutesSignature

LANGS = ("fr", "ar", "en")


class T(NamedTuple):
    fr: str
    ar: str
    en: str

    def get(self, lang: str) -> str:
        return str(getattr(self, lang if lang in LANGS else "fr"))


LABELS = {
    "title": T(
        "Procès-verbal de la réunion du conseil",
        "محضر اجتماع المجلس",
        "Minutes of the board meeting",
    ),
    "draft": T("PROJET — non signé", "مشروع — غير موقع", "DRAFT — not signed"),
    "meeting_of": T(
        "Séance du {date} à {time}", "جلسة {date} على الساعة {time}", "Meeting of {date} at {time}"
    ),
    "ordinary": T("Réunion ordinaire", "اجتماع عادي", "Ordinary meeting"),
    "extraordinary": T("Réunion extraordinaire", "اجتماع استثنائي", "Extraordinary meeting"),
    "second": T(
        "Seconde convocation (la réunion du {date} n'avait pas atteint le quorum)",
        "دعوة ثانية (لم يكتمل النصاب في اجتماع {date})",
        "Second convocation (the meeting of {date} lacked a quorum)",
    ),
    "second_quorum": T(
        "Quorum de seconde convocation : {quorum}",
        "نصاب الدعوة الثانية: {quorum}",
        "Second-convocation quorum: {quorum}",
    ),
    "place": T("Lieu", "المكان", "Place"),
    "video": T("Visioconférence", "الاتصال المرئي", "Video conference"),
    "chair": T("Présidence", "الرئاسة", "Chair"),
    "secretary": T("Secrétariat", "الكتابة", "Secretary"),
    "attendance": T("Présences", "الحضور", "Attendance"),
    "present": T("Présents", "الحاضرون", "Present"),
    "represented": T(
        "Représentés (pouvoir écrit)", "الممثلون (توكيل مكتوب)", "Represented (written proxy)"
    ),
    "represented_by": T(
        "{member}, représenté·e par {holder} (pouvoir : {reference})",
        "{member}، ينوب عنه(ا) {holder} (التوكيل: {reference})",
        "{member}, represented by {holder} (proxy: {reference})",
    ),
    "excused": T("Excusés", "المعتذرون", "Excused"),
    "absent": T("Absents", "الغائبون", "Absent"),
    "not_recorded": T("Présence non notée", "الحضور غير مسجل", "Attendance not recorded"),
    "experts": T(
        "Experts (voix consultative, hors quorum)",
        "الخبراء (صوت استشاري، خارج النصاب)",
        "Experts (advisory, not counted for quorum)",
    ),
    "none": T("aucun", "لا أحد", "none"),
    "quorum": T("Quorum", "النصاب", "Quorum"),
    "quorum_line": T(
        "{present} membres présents ou représentés sur {electorate} ; quorum requis "
        "{required} : {met}.",
        "{present} من أصل {electorate} عضوا حاضرون أو ممثلون؛ النصاب المطلوب {required}: {met}.",
        "{present} of {electorate} members present or represented; quorum {required}: {met}.",
    ),
    "met": T("atteint", "مكتمل", "met"),
    "not_met": T("non atteint", "غير مكتمل", "not met"),
    "agenda": T(
        "Ordre du jour et délibérations", "جدول الأعمال والمداولات", "Agenda and deliberations"
    ),
    "item": T("Point {n}", "النقطة {n}", "Item {n}"),
    "information": T("Information", "إخبار", "Information"),
    "deliberation": T("Délibération", "مداولة", "Deliberation"),
    "election": T("Élection ou nomination", "انتخاب أو تعيين", "Election or appointment"),
    "minutes_approval": T(
        "Approbation du procès-verbal précédent",
        "المصادقة على المحضر السابق",
        "Approval of the previous minutes",
    ),
    "approves": T(
        "Procès-verbal de la réunion du {date}",
        "محضر اجتماع {date}",
        "Minutes of the meeting of {date}",
    ),
    "recusals": T(
        "Conflits d'intérêts déclarés (ne prennent part ni au quorum ni au vote) :",
        "تضارب المصالح المصرح به (لا يحتسب في النصاب ولا يشارك في التصويت):",
        "Conflicts of interest declared (not counted for quorum, not voting):",
    ),
    "documents": T("Documents", "الوثائق", "Documents"),
    "debates": T("Débats", "المناقشات", "Debates"),
    "motion": T("Motion", "المقترح", "Motion"),
    "round": T("Tour {n}", "الدورة {n}", "Round {n}"),
    "mode_show_of_hands": T("vote à main levée", "تصويت برفع الأيدي", "show of hands"),
    "mode_nominal": T("vote nominal", "تصويت اسمي", "roll-call vote"),
    "mode_secret": T("scrutin secret", "اقتراع سري", "secret ballot"),
    "adopted": T("Adoptée", "معتمد", "Adopted"),
    "rejected": T("Non adoptée", "غير معتمد", "Not adopted"),
    "votes": T("Votes", "الأصوات", "Votes"),
    "yes": T("pour", "نعم", "yes"),
    "no": T("contre", "لا", "no"),
    "abstain": T("abstention", "امتناع", "abstain"),
    "by_proxy": T("par pouvoir", "بالتوكيل", "by proxy"),
    "secret_note": T(
        "Scrutin secret : seul le décompte est publié.",
        "اقتراع سري: لا ينشر إلا عدد الأصوات.",
        "Secret ballot: only the counts are published.",
    ),
    "lapsed": T(
        "Pouvoir sans effet sur ce point (porteur en conflit d'intérêts) : {names}.",
        "توكيل بلا أثر في هذه النقطة (حامله في تضارب مصالح): {names}.",
        "Proxy not applying to this item (holder recused): {names}.",
    ),
    "decision": T("Décision {number}", "القرار {number}", "Decision {number}"),
    "decisions": T("Décisions de la séance", "قرارات الجلسة", "Decisions of the meeting"),
    "no_vote": T("Pas de vote sur ce point.", "لا تصويت في هذه النقطة.", "No vote on this item."),
    "opening": T("Ouverture de la séance", "افتتاح الجلسة", "Opening"),
    "closing": T("Clôture de la séance", "اختتام الجلسة", "Closing"),
    "signatures": T("Signatures", "التوقيعات", "Signatures"),
    "signed_by": T(
        "{name}, {role}, le {date}", "{name}، {role}، بتاريخ {date}", "{name}, {role}, on {date}"
    ),
    "signed_paper": T(
        "signature manuscrite enregistrée par {user}",
        "توقيع بخط اليد سجله {user}",
        "handwritten signature recorded by {user}",
    ),
    "role_chair": T("président·e", "الرئيس(ة)", "chair"),
    "role_secretary": T("secrétaire", "الكاتب(ة)", "secretary"),
    "unsigned": T("(à signer)", "(في انتظار التوقيع)", "(to be signed)"),
    "errata": T("Errata", "تصويبات", "Errata"),
    "erratum_on": T("Erratum du {date}", "تصويب بتاريخ {date}", "Erratum of {date}"),
    "chain": T(
        "Empreinte (chaîne de contrôle, tête à la signature) : {anchor}",
        "البصمة (سلسلة المراقبة، رأسها عند التوقيع): {anchor}",
        "Fingerprint (hash chain, head at signature): {anchor}",
    ),
    "generated": T(
        "Document produit par Sharaka le {date}",
        "وثيقة أنتجتها منصة شراكة بتاريخ {date}",
        "Document produced by Sharaka on {date}",
    ),
    "page": T("Page", "صفحة", "Page"),
    "officer_chair": T("président·e", "الرئيس(ة)", "chair"),
    "officer_vice_chair": T("vice-président·e", "نائب(ة) الرئيس", "vice-chair"),
    "officer_secretary": T("secrétaire", "الكاتب(ة)", "secretary"),
    "officer_treasurer": T("trésorier·ère", "أمين(ة) المال", "treasurer"),
    "st_present": T("présent·e", "حاضر(ة)", "present"),
    "st_excused": T("excusé·e", "معتذر(ة)", "excused"),
    "st_absent": T("absent·e", "غائب(ة)", "absent"),
    "st_not_recorded": T("présence non notée", "الحضور غير مسجل", "not recorded"),
}


def label(key: str, lang: str, **values: Any) -> str:
    """The fixed words of ``key`` in ``lang`` with ``values`` isolated (``core.bidi``)."""
    return LABELS[key].get(lang).format(**bidi.isolate_all(values, rtl=lang == "ar"))


def _i(value: object, lang: str) -> str:
    """A name or title inserted in a line of ``lang``, isolated when it needs it."""
    return bidi.isolate(value, rtl=lang == "ar")


def _date(value: date | datetime | str | None, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    with translation.override(lang):
        return str(formats.date_format(value, "DATE_FORMAT"))


@dataclass
class MotionView:
    heading: str
    text: str
    adopted: bool
    outcome_label: str
    explanation: list[str]
    votes: list[str] | None
    secret: bool
    lapsed: str
    decision: str


@dataclass
class ItemView:
    heading: str
    kind: str
    title: str
    description: str
    approves: str
    recusals: list[str]
    documents: list[str]
    notes: str
    motions: list[MotionView]
    votes: bool = True


@dataclass
class SignatureView:
    role: str
    text: str


@dataclass
class MinutesDocument:
    lang: str
    direction: str
    draft: bool
    title: str
    partnership: str
    board: str
    heading: str
    kind: str
    second: str
    facts: list[tuple[str, str]]
    attendance: list[tuple[str, list[str]]]
    experts: list[str]
    quorum: str
    opening: str
    items: list[ItemView]
    decisions: list[str]
    closing: str
    signatures: list[SignatureView]
    errata: list[tuple[str, str]]
    chain: str
    generated: str
    labels: dict[str, str] = field(default_factory=dict)


def _people(rows: list[dict[str, Any]], lang: str) -> list[str]:
    result = []
    for row in rows:
        text = _i(row["name"], lang)
        if row.get("organization"):
            text += f" ({_i(row['organization'], lang)})"
        if row.get("roles"):
            roles = [
                label("officer_" + code, lang) if "officer_" + code in LABELS else code
                for code in row["roles"]
            ]
            text += " — " + ", ".join(roles)
        result.append(text)
    return result


def _motion(motion: dict[str, Any], lang: str) -> MotionView:
    mode = motion.get("voting_mode") or "show_of_hands"
    secret = mode == "secret"
    votes = None
    if not secret and motion.get("votes") is not None:
        votes = [
            f"{_i(v['name'], lang)} : {label(v['choice'], lang)}"
            + (f" ({label('by_proxy', lang)})" if v.get("by_proxy") else "")
            for v in motion["votes"]
        ]
    decision = motion.get("decision")
    lapsed = motion.get("lapsed_proxies") or []
    return MotionView(
        heading=f"{label('round', lang, n=motion['round'])} — {label('mode_' + mode, lang)}",
        text=motion["text"],
        adopted=bool(motion["adopted"]),
        outcome_label=label("adopted" if motion["adopted"] else "rejected", lang),
        explanation=list((motion.get("explanation") or {}).get(lang, [])),
        votes=votes,
        secret=secret,
        lapsed=label("lapsed", lang, names=", ".join(_i(n, lang) for n in lapsed))
        if lapsed
        else "",
        decision=(
            f"{label('decision', lang, number=decision['number'])} — {_i(decision['title'], lang)}"
            if decision
            else ""
        ),
    )


def build(
    minutes: Minutes,
    *,
    lang: str,
    signatures: list[MinutesSignature] | None = None,
    errata: list[Erratum] | None = None,
) -> MinutesDocument:
    """The minutes in ``lang``, from the stored record and what the secretary wrote."""
    lang = lang if lang in LANGS else "fr"
    content = minutes.content
    meeting = content["meeting"]
    attendance = content["attendance"]
    notes = minutes.item_notes or {}
    second = ""
    if meeting.get("convocation_number") == 2:
        second = label("second", lang, date=_date(meeting.get("reconvenes_date"), lang))
        if meeting.get("quorum_override"):
            second += " " + label("second_quorum", lang, quorum=meeting["quorum_override"])
    facts = []
    if meeting.get("place"):
        facts.append((label("place", lang), _i(meeting["place"], lang)))
    if meeting.get("video_link"):
        facts.append((label("video", lang), meeting["video_link"]))
    officers = content.get("officers") or {}
    if officers.get("chair"):
        facts.append((label("chair", lang), _i(officers["chair"], lang)))
    if officers.get("secretary"):
        facts.append((label("secretary", lang), _i(officers["secretary"], lang)))
    groups = [
        (label("present", lang), _people(attendance.get("present", []), lang)),
        (
            label("represented", lang),
            [
                label(
                    "represented_by",
                    lang,
                    member=r["name"],
                    holder=r["holder"],
                    reference=r["reference"],
                )
                for r in attendance.get("represented", [])
            ],
        ),
        (label("excused", lang), _people(attendance.get("excused", []), lang)),
        (label("absent", lang), _people(attendance.get("absent", []), lang)),
    ]
    if attendance.get("not_recorded"):
        groups.append((label("not_recorded", lang), _people(attendance["not_recorded"], lang)))
    quorum = content.get("quorum")
    quorum_text = ""
    if quorum:
        quorum_text = label(
            "quorum_line",
            lang,
            present=quorum["present"],
            electorate=quorum["electorate"],
            required=quorum["required"],
            met=label("met" if quorum["met"] else "not_met", lang),
        )
    items = []
    for item in content.get("items", []):
        approves = ""
        if item.get("minutes_to_approve"):
            approves = label("approves", lang, date=_date(item["minutes_to_approve"]["date"], lang))
        items.append(
            ItemView(
                heading=label("item", lang, n=item["position"]),
                kind=label(item["kind"], lang),
                title=_i(item["title"], lang),
                description=item.get("description", ""),
                approves=approves,
                recusals=[
                    _i(r["name"], lang) + (f" — {r['reason']}" if r.get("reason") else "")
                    for r in item.get("recusals", [])
                ],
                documents=[_i(name, lang) for name in item.get("documents", [])],
                notes=str(notes.get(str(item["position"]), "")),
                motions=[_motion(m, lang) for m in item.get("motions", [])],
                votes=item["kind"] != "information",
            )
        )
    signature_views = []
    by_role = {s.role: s for s in (signatures or [])}
    for role in ("chair", "secretary"):
        signature = by_role.get(role)
        role_label = label("role_" + role, lang)
        if signature is None:
            name = _i(officers.get(role) or "…", lang)
            signature_views.append(SignatureView(role_label, f"{name} {label('unsigned', lang)}"))
            continue
        text = label(
            "signed_by",
            lang,
            name=signature.signer_name,
            role=role_label,
            date=_date(timezone.localtime(signature.signed_at).date(), lang),
        )
        if not signature.in_person:
            text += f" — {label('signed_paper', lang, user=signature.signed_by or '?')}"
        signature_views.append(SignatureView(role_label, text))
    kind = label(meeting.get("kind", "ordinary"), lang)
    return MinutesDocument(
        lang=lang,
        direction="rtl" if lang == "ar" else "ltr",
        draft=not minutes.is_signed,
        title=label("title", lang),
        partnership=_i(content["partnership"]["title"], lang),
        board=_i(content.get("board", ""), lang),
        heading=label("meeting_of", lang, date=_date(meeting["date"], lang), time=meeting["time"]),
        kind=kind,
        second=second,
        facts=facts,
        attendance=groups,
        experts=[
            f"{_i(row['name'], lang)} — {label('st_' + row['status'], lang)}"
            for row in attendance.get("experts", [])
        ],
        quorum=quorum_text,
        opening=minutes.opening_text,
        items=items,
        decisions=[
            f"{label('decision', lang, number=d['number'])} — {_i(d['title'], lang)}"
            for d in content.get("decisions", [])
        ],
        closing=minutes.closing_text,
        signatures=signature_views,
        errata=[
            (
                label(
                    "erratum_on", lang, date=_date(timezone.localtime(e.created_at).date(), lang)
                ),
                e.text,
            )
            for e in (errata or [])
        ],
        chain=label("chain", lang, anchor=f"{minutes.chain_position}:{minutes.chain_hash}")
        if minutes.chain_hash
        else "",
        generated=label("generated", lang, date=_date(timezone.localdate(), lang)),
        labels={key: value.get(lang) for key, value in LABELS.items()},
    )


def render_html(document: MinutesDocument, *, standalone: bool = True) -> str:
    return render_to_string(
        "meetings/document/minutes.html", {"doc": document, "standalone": standalone}
    )


def render_pdf(document: MinutesDocument) -> bytes:
    return write_pdf(
        render_html(document), lang=document.lang, author=document.partnership,
        subject=f"{document.title} — {document.heading}",
    )  # fmt: skip
