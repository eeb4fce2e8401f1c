"""The convention as a document: numbered articles, parties, signatures and annexes in one
language, ready for the PDF and DOCX renderers (which only lay it out).

The document's language is chosen by the reader, independent of the interface language, so
the fixed words below are data in the three languages rather than ``gettext`` strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sharaka.conventions import catalogue, rules
from sharaka.conventions.catalogue import T
from sharaka.conventions.models import Clause, ConventionVersion, Signatory, VersionStatus
from sharaka.core import bidi
from sharaka.governance import selectors as governance

LABELS = {
    "convention": T("Convention de partenariat", "اتفاقية شراكة", "Partnership convention"),
    "amendment": T("Avenant n° {n} à la convention de partenariat",
                   "الملحق رقم {n} لاتفاقية الشراكة",
                   "Amendment no. {n} to the partnership convention"),
    "article": T("Article {n}", "المادة {n}", "Article {n}"),
    "annex": T("Annexe {n}", "الملحق {n}", "Annex {n}"),
    "contents": T("Sommaire", "الفهرس", "Contents"),
    "signatures": T("Signatures", "التوقيعات", "Signatures"),
    "signed_on": T("Signé le {date}", "وقع بتاريخ {date}", "Signed on {date}"),
    "date_line": T("Date : ………………", "التاريخ: ………………", "Date: ………………"),
    "signature_line": T("Signature et cachet", "التوقيع والخاتم", "Signature and seal"),
    "draft": T("PROJET — sans valeur contractuelle", "مشروع — لا قيمة تعاقدية له",
               "DRAFT — not binding"),
    "reference": T("Référence : {ref}", "المرجع: {ref}", "Reference: {ref}"),
    "effective": T("Date d'effet : {date}", "تاريخ السريان: {date}", "Date of effect: {date}"),
    "amends": T("modifiant {label}", "يعدل {label}", "amending {label}"),
    "purpose": T("Objet de l'avenant : {purpose}", "موضوع الملحق: {purpose}",
                 "Purpose of the amendment: {purpose}"),
    "original": T("la convention initiale", "الاتفاقية الأصلية", "the original convention"),
    "amendment_short": T("l'avenant n° {n}", "الملحق رقم {n}", "amendment no. {n}"),
    "represented": T("{org} ({role}), représentée par {person}, en qualité de {capacity}",
                     "{org} ({role})، ويمثلها {person} بصفته(ا) {capacity}",  # noqa: RUF001
                     "{org} ({role}), represented by {person}, acting as {capacity}"),
    "mandate": T(", habilité(e) par {mandate}", "، بموجب {mandate}", ", authorised by {mandate}"),
    "party_only": T("{org} ({role})", "{org} ({role})", "{org} ({role})"),
    "board_annex": T("Composition du conseil d'administration", "تركيبة مجلس الإدارة",
                     "Composition of the board"),
    "members_annex": T("Membres du conseil désignés au {date}",
                       "أعضاء المجلس المعينون بتاريخ {date}",
                       "Board members appointed on {date}"),
    "total": T("Total", "المجموع", "Total"),
    "holder": T("Titulaire", "العضو", "Holder"),
    "vacant": T("vacant", "شاغر", "vacant"),
    "page": T("Page", "صفحة", "Page"),
    "yes": T("oui", "نعم", "yes"),
    "no": T("non", "لا", "no"),
    "generated": T("Document produit par Sharaka le {date}", "وثيقة أنتجتها منصة شراكة بتاريخ "
                   "{date}", "Document produced by Sharaka on {date}"),
}  # fmt: skip

PARTY_ROLES = {
    "lead": T("chef de file", "رئيس المشروع", "lead partner"),
    "partner": T("partenaire", "شريك", "partner"),
    "funder": T("financeur", "ممول", "funder"),
    "operator": T("opérateur", "مشغل", "operator"),
}


def label(key: str, lang: str, **values: Any) -> str:
    """The fixed words of ``key`` in ``lang`` with ``values`` isolated (``core.bidi``)."""
    return LABELS[key].get(lang).format(**bidi.isolate_all(values, rtl=lang == "ar"))


def format_date(value: date | None, lang: str) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@dataclass(frozen=True)
class Article:
    number: int
    heading: str  # "Article 3"
    title: str
    blocks: list[rules.RenderedBlock]
    anchor: str


@dataclass(frozen=True)
class AnnexTable:
    number: int
    heading: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    anchor: str


@dataclass(frozen=True)
class SignatureBox:
    organization: str
    person: str
    capacity: str
    mandate: str
    signed: str  # "Signé le 12/01/2025" or the date line to fill in


@dataclass
class Document:
    lang: str
    rtl: bool
    title: str
    subtitle: str
    lines: list[str]  # reference, effective date, purpose of an amendment
    draft_notice: str
    parties: list[str]
    articles: list[Article]
    annexes: list[AnnexTable]
    signatures: list[SignatureBox]
    labels: dict[str, str] = field(default_factory=dict)
    footer: str = ""

    @property
    def filename_stem(self) -> str:
        return "convention"


def _party_lines(version: ConventionVersion, signatories: list[Signatory], lang: str) -> list[str]:
    partnership = version.convention.partnership
    roles: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for party in partnership.parties.all():
        roles.setdefault(party.organization_id, []).append(party.role)
        names[party.organization_id] = party.organization.name
    if partnership.lead_authority_id not in roles:
        roles[partnership.lead_authority_id] = ["lead"]
        names[partnership.lead_authority_id] = partnership.lead_authority.name
    by_org: dict[int, list[Signatory]] = {}
    for signatory in signatories:
        by_org.setdefault(signatory.organization_id, []).append(signatory)
        names.setdefault(signatory.organization_id, signatory.organization.name)
        roles.setdefault(signatory.organization_id, ["partner"])
    order = ["lead", "partner", "funder", "operator"]
    lines = []
    for org_id in sorted(roles, key=lambda o: (min(order.index(r) for r in roles[o]), names[o])):
        role = ", ".join(PARTY_ROLES[r].get(lang) for r in sorted(roles[org_id], key=order.index))
        signers = by_org.get(org_id, [])
        if not signers:
            lines.append(label("party_only", lang, org=names[org_id], role=role))
            continue
        for s in signers:
            line = label("represented", lang, org=names[org_id], role=role, person=str(s.person),
                         capacity=s.capacity)  # fmt: skip
            if s.mandate_reference:
                line += label("mandate", lang, mandate=s.mandate_reference)
            lines.append(line)
    return lines


def _board_annex(clauses: list[Clause], lang: str) -> tuple[list[str], list[list[str]]] | None:
    board = next((c for c in clauses if c.code == "board"), None)
    if board is None or not (board.params or {}).get("composition"):
        return None
    spec = catalogue.spec_for("board")
    param = spec.param("composition")
    headers, rows = rules.table_cells(param, board.params["composition"], lang)
    composition = board.params["composition"]
    seats = sum(int(r.get("seats") or 0) for r in composition)
    voting = sum(int(r.get("seats") or 0) for r in composition if r.get("voting"))
    women = sum(int(r.get("women") or 0) for r in composition)
    rows.append([label("total", lang), "", str(seats), str(voting), str(women)])
    return headers, rows


def _members_annex(version: ConventionVersion, lang: str, day: date) -> list[list[str]] | None:
    """The people holding the board's seats on ``day`` (``None`` without a board)."""
    board = governance.board_get(partnership=version.convention.partnership)
    if board is None:
        return None
    data = governance.board_data_get(board=board)
    seats, holders, _officers = governance.analysis_seats(data, day)
    rows = []
    for seat in seats:
        holder = holders.get(int(seat.key.lstrip("s"))) if seat.key.startswith("s") else None
        rows.append([
            seat.organization_name or "—",
            str(seat.college_label),
            label("yes" if seat.voting else "no", lang),
            str(holder.person) if holder else label("vacant", lang),
        ])  # fmt: skip
    return rows or None


def build_document(
    version: ConventionVersion,
    lang: str,
    *,
    clauses: list[Clause] | None = None,
    signatories: list[Signatory] | None = None,
    today: date | None = None,
) -> Document:
    """Everything the renderers lay out, in ``lang``."""
    if lang not in catalogue.LANGS:
        raise ValueError(lang)
    from django.utils import timezone, translation

    day = today or timezone.localdate()
    partnership = version.convention.partnership
    if clauses is None:
        clauses = list(version.clauses.order_by("order", "key"))
    if signatories is None:
        signatories = list(
            version.signatories.select_related("organization", "person").order_by("order", "pk")
        )
    context = {"effective_date": format_date(version.effective_date, lang)}
    articles = []
    for number, clause in enumerate(clauses, start=1):
        data = rules.ClauseData(clause.key, clause.code, clause.order, clause.params or {},
                                clause.titles, clause.texts)  # fmt: skip
        articles.append(Article(
            number=number,
            heading=label("article", lang, n=number),
            title=rules.clause_title(data, lang),
            blocks=rules.clause_blocks(data, lang, context),
            anchor=f"article-{number}",
        ))  # fmt: skip
    annexes = []
    board = _board_annex(clauses, lang)
    if board is not None:
        annexes.append(AnnexTable(1, label("annex", lang, n=1), label("board_annex", lang),
                                  board[0], board[1], "annex-1"))  # fmt: skip
    with translation.override(lang):  # the colleges' labels in the document's language
        members = _members_annex(version, lang, day)
    if members is not None:
        n = len(annexes) + 1
        composition = catalogue.spec_for("board").param("composition")
        headers = [composition.column("organization").label.get(lang),
                   composition.column("college").label.get(lang),
                   composition.column("voting").label.get(lang), label("holder", lang)]  # fmt: skip
        annexes.append(AnnexTable(n, label("annex", lang, n=n),
                                  label("members_annex", lang, date=format_date(day, lang)),
                                  headers, members, f"annex-{n}"))  # fmt: skip
    if version.number == 0:
        title = label("convention", lang)
    else:
        title = label("amendment", lang, n=version.number)
    lines = []
    if version.convention.reference:
        lines.append(label("reference", lang, ref=version.convention.reference))
    if version.based_on is not None:
        based = version.based_on
        amended = (label("original", lang) if based.number == 0
                   else label("amendment_short", lang, n=based.number))  # fmt: skip
        lines.append(label("amends", lang, label=amended))
    if version.purpose:
        lines.append(label("purpose", lang, purpose=version.purpose))
    if version.effective_date:
        lines.append(label("effective", lang, date=format_date(version.effective_date, lang)))
    boxes = [
        SignatureBox(
            organization=s.organization.name,
            person=str(s.person),
            capacity=s.capacity,
            mandate=s.mandate_reference,
            signed=label("signed_on", lang, date=format_date(s.signed_on, lang))
            if s.signed_on else label("date_line", lang),
        )
        for s in signatories
    ]  # fmt: skip
    draft = version.status in {VersionStatus.DRAFT, VersionStatus.UNDER_NEGOTIATION}
    return Document(
        lang=lang,
        rtl=lang == "ar",
        title=title,
        subtitle=bidi.isolate(partnership.title, rtl=lang == "ar"),
        lines=lines,
        draft_notice=label("draft", lang) if draft else "",
        parties=_party_lines(version, signatories, lang),
        articles=articles,
        annexes=annexes,
        signatures=boxes,
        labels={
            key: LABELS[key].get(lang)
            for key in ("contents", "signatures", "signature_line", "page")
        },
        footer=label("generated", lang, date=format_date(day, lang)),
    )
