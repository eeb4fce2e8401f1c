"""The clause catalogue: every clause a convention may hold, as data.

Pure Python (no Django import): the rules (``conventions.rules``), the renderers, the forms
and the tests all read the same catalogue.

A clause has a stable ``code``, a title and a body in French, Arabic and English, a kind
(*base* clauses of a réalisation convention, *management* clauses required by M15) and a
typed parameter schema. The body is a sequence of blocks: a sentence with ``{placeholders}``
naming parameters, a bulleted list (a ``LIST`` parameter) or a table (a ``TABLE``
parameter). A block may depend on a parameter (``when="renewal!=none"``).

Parameter values are stored as JSON: ``TEXT`` as ``{"fr": ..., "ar": ..., "en": ...}``,
``LIST`` as ``{"fr": [...], ...}``, ``FRACTION`` as ``"p/q"``, ``MONEY`` as a decimal string,
``TABLE`` as a list of row objects. ``required`` means "needed for the convention to be
complete": the completeness check reports it, the type check does not block a draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

LANGS = ("fr", "ar", "en")


@dataclass(frozen=True, slots=True)
class I18n:
    """One text in the three languages of the product (French is the source)."""

    fr: str
    ar: str
    en: str

    def get(self, lang: str) -> str:
        return str(getattr(self, lang, "") or self.fr)

    def as_dict(self) -> dict[str, str]:
        return {"fr": self.fr, "ar": self.ar, "en": self.en}


def T(fr: str, ar: str, en: str) -> I18n:
    return I18n(fr, ar, en)


class Kind(StrEnum):
    BASE = "base"
    MANAGEMENT = "management"


class PType(StrEnum):
    TEXT = "text"  # translated free text: {"fr": ..., "ar": ..., "en": ...}
    STRING = "string"  # short untranslated text (a name, a reference)
    INT = "int"
    FRACTION = "fraction"  # "p/q"; shown as a fraction
    PERCENT = "percent"  # a fraction shown as a percentage ("1/10" -> 10 %)
    BOOL = "bool"
    CHOICE = "choice"
    MULTI = "multi"  # several choices
    MONEY = "money"  # decimal string, two places
    LIST = "list"  # translated list: {"fr": [...], "ar": [...], "en": [...]}
    TABLE = "table"  # list of rows, each a dict of column -> scalar value


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: PType
    label: I18n
    required: bool = False
    default: Any = None
    choices: tuple[tuple[str, I18n], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    columns: tuple[Param, ...] = ()  # TABLE only
    help: I18n | None = None
    missing_code: str = ""  # a specific problem code when a required value is missing
    missing_message: I18n | None = None

    def choice_label(self, value: str, lang: str) -> str:
        for code, label in self.choices:
            if code == value:
                return label.get(lang)
        return str(value)

    def column(self, name: str) -> Param:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of a clause body: a sentence, a bulleted list or a table.

    ``when`` keeps the block only if a condition on the parameters holds: ``"name"`` (the
    value is truthy), ``"name=value"`` or ``"name!=value"``. ``special`` names content the
    renderer supplies (``"parties"``: the parties and who signs for them).
    """

    text: I18n | None = None
    items: str | None = None
    table: str | None = None
    when: str | None = None
    special: str | None = None


@dataclass(frozen=True, slots=True)
class ClauseSpec:
    code: str
    kind: Kind
    title: I18n
    blocks: tuple[Block, ...]
    params: tuple[Param, ...] = ()
    mandatory: bool = True
    repeatable: bool = False

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    def has_param(self, name: str) -> bool:
        return any(p.name == name for p in self.params)

    def defaults(self) -> dict[str, Any]:
        return {p.name: _copy(p.default) for p in self.params if p.default is not None}


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _text(fr: str, ar: str, en: str) -> dict[str, str]:
    return {"fr": fr, "ar": ar, "en": en}


def _lst(fr: list[str], ar: list[str], en: list[str]) -> dict[str, list[str]]:
    return {"fr": fr, "ar": ar, "en": en}


# --- Shared choices -----------------------------------------------------------------------

YES = T("oui", "نعم", "yes")
NO = T("non", "لا", "no")

COLLEGES = (
    ("local_public", T("Collectivités territoriales", "الجماعات الترابية", "Local authorities")),
    ("other_public", T("Autres organismes publics", "هيئات عمومية أخرى", "Other public bodies")),
    ("associative", T("Associations", "الجمعيات", "Associations")),
    ("private", T("Secteur privé", "القطاع الخاص", "Private sector")),
    ("experts", T("Experts", "الخبراء", "Experts")),
)

METHODS = (
    ("consensus", T("consensus", "التوافق", "consensus")),
    ("simple", T("majorité simple", "الأغلبية البسيطة", "simple majority")),
    ("absolute", T("majorité absolue", "الأغلبية المطلقة", "absolute majority")),
    ("qualified", T("majorité qualifiée", "الأغلبية الموصوفة", "qualified majority")),
    ("unanimity", T("unanimité", "الإجماع", "unanimity")),
)
FALLBACK_METHODS = tuple(m for m in METHODS if m[0] in {"simple", "absolute", "qualified"})

BASES = (
    ("present", T("des membres présents ou représentés", "من الأعضاء الحاضرين أو الممثَّلين",
                  "of the members present or represented")),
    ("cast", T("des suffrages exprimés, abstentions comprises",
               "من الأصوات المعبر عنها بما فيها الامتناع",
               "of the votes cast, abstentions included")),
    ("yes_no", T("des voix pour et contre", "من الأصوات المؤيدة والمعارضة",
                 "of the votes for and against")),
    ("members", T("de l'ensemble des membres ayant voix délibérative",
                  "من مجموع الأعضاء ذوي الصوت التقريري", "of all voting members")),
)  # fmt: skip

OFFICERS = (
    ("chair", T("président(e)", "الرئيس(ة)", "chair")),
    ("vice_chair", T("vice-président(e)", "نائب(ة) الرئيس", "vice-chair")),
    ("secretary", T("secrétaire", "الكاتب(ة)", "secretary")),
    ("treasurer", T("trésorier(ère)", "أمين(ة) المال", "treasurer")),
)

COUNTRIES = (
    ("MA", T("Maroc", "المغرب", "Morocco")),
    ("FR", T("France", "فرنسا", "France")),
    ("other", T("Autre", "أخرى", "Other")),
)

#: Legal references proposed for each country when a convention is drafted. Data, not law:
#: the legal framework clause keeps its own (editable) list.
LEGAL_REFERENCES: Mapping[str, dict[str, list[str]]] = {
    "MA": _lst(
        [
            "Constitution du Royaume du Maroc (2011), notamment ses articles 136 à 146 sur la "
            "régionalisation avancée",
            "Loi organique n° 113-14 relative aux communes (2015), notamment son article 149 "
            "relatif aux conventions de coopération et de partenariat",
            "Dahir n° 1-58-376 du 15 novembre 1958 réglementant le droit d'association, "
            "notamment son article 5",
        ],
        [
            "دستور المملكة المغربية (2011)، ولا سيما الفصول من 136 إلى 146 المتعلقة بالجهوية "
            "المتقدمة",
            "القانون التنظيمي رقم 113.14 المتعلق بالجماعات (2015)، ولا سيما المادة 149 منه "
            "المتعلقة باتفاقيات التعاون والشراكة",
            "الظهير الشريف رقم 1.58.376 الصادر في 15 نوفمبر 1958 بتنظيم حق تأسيس الجمعيات، "
            "ولا سيما الفصل 5 منه",
        ],
        [
            "Constitution of the Kingdom of Morocco (2011), in particular articles 136 to 146 "
            "on advanced regionalisation",
            "Organic law no. 113-14 on communes (2015), in particular article 149 on "
            "cooperation and partnership conventions",
            "Dahir no. 1-58-376 of 15 November 1958 regulating the right of association, in "
            "particular article 5",
        ],
    ),
    "FR": _lst(
        [
            "Code général des collectivités territoriales",
            "Loi n° 2000-321 du 12 avril 2000 relative aux droits des citoyens dans leurs "
            "relations avec les administrations, notamment son article 10 (convention "
            "obligatoire au-delà de 23 000 euros de subvention)",
        ],
        [
            "المدونة العامة للجماعات الترابية (فرنسا)",
            "القانون رقم 2000-321 الصادر في 12 أبريل 2000 المتعلق بحقوق المواطنين في علاقتهم "
            "بالإدارات، ولا سيما المادة 10 منه (الاتفاقية إلزامية فوق 23 000 يورو من الدعم)",
        ],
        [
            "General Code of Local Authorities (France)",
            "Law no. 2000-321 of 12 April 2000 on the rights of citizens in their relations "
            "with administrations, in particular article 10 (a convention is compulsory above "
            "EUR 23,000 of subsidy)",
        ],
    ),
    "other": _lst([], [], []),
}


# --- Common parameter labels ---------------------------------------------------------------

ORG = Param("organization", PType.STRING, T("Organisation", "الهيئة", "Organisation"),
            required=True)  # fmt: skip


# --- The catalogue -------------------------------------------------------------------------

_BASE: tuple[ClauseSpec, ...] = (
    ClauseSpec(
        code="preamble",
        kind=Kind.BASE,
        title=T("Préambule", "الديباجة", "Preamble"),
        params=(
            Param(
                "context",
                PType.TEXT,
                T("Exposé des motifs", "عرض الأسباب", "Statement of reasons"),
                required=True,
                default=_text(
                    "Les parties entendent unir leurs moyens au service de la population, "
                    "dans le respect de leurs compétences respectives et dans un esprit de "
                    "gouvernance partagée.",
                    "تعتزم الأطراف توحيد وسائلها لخدمة الساكنة، في احترام لاختصاصات كل منها "
                    "وبروح من الحكامة المشتركة.",
                    "The parties intend to pool their means to serve the population, within "
                    "their respective powers and in a spirit of shared governance.",
                ),
            ),
        ),
        blocks=(
            Block(text=T("{context}", "{context}", "{context}")),
            Block(
                text=T(
                    "Il a été convenu et arrêté ce qui suit.",
                    "تم الاتفاق على ما يلي.",
                    "The parties have agreed as follows.",
                )
            ),
        ),
    ),
    ClauseSpec(
        code="parties",
        kind=Kind.BASE,
        title=T("Parties", "الأطراف", "Parties"),
        blocks=(
            Block(
                text=T(
                    "La présente convention est conclue entre :",
                    "أبرمت هذه الاتفاقية بين:",
                    "This convention is made between:",
                )
            ),
            Block(special="parties"),
            Block(
                text=T(
                    "ci-après dénommées ensemble « les parties ».",
                    "ويشار إليها مجتمعة فيما يلي بـ«الأطراف».",
                    "hereinafter together “the parties”.",
                )
            ),
        ),
    ),
    ClauseSpec(
        code="object",
        kind=Kind.BASE,
        title=T("Objet", "موضوع الاتفاقية", "Purpose"),
        params=(
            Param(
                "object",
                PType.TEXT,
                T("Objet", "الموضوع", "Purpose"),
                required=True,
                default=_text(
                    "la gestion partagée de l'équipement ou du programme désigné par les parties",
                    "التدبير المشترك للمرفق أو البرنامج الذي تحدده الأطراف",
                    "the shared management of the facility or programme designated by the parties",
                ),
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "La présente convention a pour objet de fixer les conditions dans "
                    "lesquelles les parties s'associent pour : {object}.",
                    "تهدف هذه الاتفاقية إلى تحديد الشروط التي تتشارك بموجبها الأطراف من "
                    "أجل: {object}.",
                    "This convention sets the conditions under which the parties join "
                    "forces for: {object}.",
                )
            ),
        ),
    ),
    ClauseSpec(
        code="objectives",
        kind=Kind.BASE,
        title=T("Objectifs", "الأهداف", "Objectives"),
        params=(
            Param(
                "objectives",
                PType.LIST,
                T("Objectifs", "الأهداف", "Objectives"),
                required=True,
                default=_lst(
                    [
                        "améliorer le service rendu aux usagers",
                        "partager la décision entre les partenaires",
                    ],
                    ["تحسين الخدمة المقدمة للمرتفقين", "تقاسم القرار بين الشركاء"],
                    ["improve the service to users", "share decision-making among the partners"],
                ),
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Le partenariat poursuit les objectifs suivants :",
                    "تسعى الشراكة إلى تحقيق الأهداف التالية:",
                    "The partnership pursues the following objectives:",
                )
            ),
            Block(items="objectives"),
        ),
    ),
    ClauseSpec(
        code="duration",
        kind=Kind.BASE,
        title=T("Durée et renouvellement", "المدة والتجديد", "Duration and renewal"),
        params=(
            Param(
                "duration_years",
                PType.INT,
                T("Durée (années)", "المدة (بالسنوات)", "Duration (years)"),
                required=True,
                default=3,
                minimum=1,
                maximum=99,
            ),
            Param(
                "renewal",
                PType.CHOICE,
                T("Renouvellement", "التجديد", "Renewal"),
                required=True,
                default="express",
                choices=(
                    ("none", T("non renouvelable", "غير قابلة للتجديد", "not renewable")),
                    ("tacit", T("tacite reconduction", "التجديد الضمني", "tacit renewal")),
                    ("express", T("par avenant exprès", "بملحق صريح", "by express amendment")),
                ),
            ),
            Param(
                "renewal_years",
                PType.INT,
                T(
                    "Durée de chaque renouvellement (années)",
                    "مدة كل تجديد (بالسنوات)",
                    "Length of each renewal (years)",
                ),
                default=3,
                minimum=1,
                maximum=99,
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "La présente convention est conclue pour une durée de "
                    "{duration_years} ans à compter de son entrée en vigueur.",
                    "أبرمت هذه الاتفاقية لمدة {duration_years} سنوات ابتداء من تاريخ "
                    "دخولها حيز التنفيذ.",
                    "This convention is made for {duration_years} years from its entry into force.",
                )
            ),
            Block(
                when="renewal=tacit",
                text=T(
                    "Elle est renouvelable par tacite reconduction pour des périodes de "
                    "{renewal_years} ans, sauf dénonciation par l'une des parties.",
                    "وتتجدد ضمنيا لفترات مدتها {renewal_years} سنوات ما لم يعلن أحد "
                    "الأطراف عن إنهائها.",
                    "It is tacitly renewed for periods of {renewal_years} years unless "
                    "a party gives notice.",
                ),
            ),
            Block(
                when="renewal=express",
                text=T(
                    "Elle peut être renouvelée par avenant exprès pour des périodes de "
                    "{renewal_years} ans.",
                    "ويمكن تجديدها بملحق صريح لفترات مدتها {renewal_years} سنوات.",
                    "It may be renewed by express amendment for periods of {renewal_years} years.",
                ),
            ),
            Block(
                when="renewal=none",
                text=T(
                    "Elle n'est pas renouvelable.", "وهي غير قابلة للتجديد.", "It is not renewable."
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="commitments",
        kind=Kind.BASE,
        title=T("Engagements des parties", "التزامات الأطراف", "Commitments of the parties"),
        params=(
            Param(
                "commitments",
                PType.TABLE,
                T("Engagements", "الالتزامات", "Commitments"),
                required=True,
                columns=(
                    ORG,
                    Param(
                        "nature",
                        PType.CHOICE,
                        T("Nature", "الطبيعة", "Nature"),
                        required=True,
                        choices=(
                            ("financial", T("financier", "مالي", "financial")),
                            ("in_kind", T("en nature", "عيني", "in kind")),
                            ("technical", T("technique", "تقني", "technical")),
                        ),
                    ),
                    Param(
                        "description",
                        PType.STRING,
                        T("Description", "الوصف", "Description"),
                        required=True,
                    ),
                    Param("amount", PType.MONEY, T("Montant", "المبلغ", "Amount")),
                ),
                default=[
                    {
                        "organization": "Collectivité chef de file",
                        "nature": "in_kind",
                        "description": "Mise à disposition de l'équipement",
                        "amount": None,
                    }
                ],
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Chaque partie s'engage à apporter au partenariat les contributions "
                    "suivantes, financières, en nature ou techniques :",
                    "يلتزم كل طرف بتقديم المساهمات التالية للشراكة، سواء كانت مالية أو "
                    "عينية أو تقنية:",
                    "Each party undertakes to bring the following financial, in-kind or "
                    "technical contributions to the partnership:",
                )
            ),
            Block(table="commitments"),
            Block(
                text=T(
                    "Les contributions ne confèrent aucun pouvoir de décision "
                    "supplémentaire : les sièges et les voix au conseil sont fixés par la "
                    "présente convention, indépendamment de l'apport de chacun.",
                    "لا تمنح المساهمات أي سلطة قرار إضافية: تحدد هذه الاتفاقية المقاعد "
                    "والأصوات داخل المجلس بغض النظر عن مساهمة كل طرف.",
                    "Contributions confer no additional decision-making power: seats and "
                    "votes on the board are set by this convention, whatever each party "
                    "contributes.",
                )
            ),
        ),
    ),
    ClauseSpec(
        code="funding",
        kind=Kind.BASE,
        title=T(
            "Montants et échéancier des versements",
            "المبالغ وجدولة الأداءات",
            "Amounts and payment schedule",
        ),
        params=(
            Param(
                "total_amount",
                PType.MONEY,
                T("Montant global", "المبلغ الإجمالي", "Total amount"),
                required=True,
                default="0.00",
            ),
            Param(
                "currency",
                PType.STRING,
                T("Monnaie", "العملة", "Currency"),
                required=True,
                default="MAD",
            ),
            Param(
                "schedule",
                PType.TABLE,
                T("Échéancier", "الجدولة", "Schedule"),
                columns=(
                    Param("due", PType.STRING, T("Échéance", "الأجل", "Due"), required=True),
                    Param(
                        "payer",
                        PType.STRING,
                        T("Partie versante", "الطرف المؤدي", "Paying party"),
                        required=True,
                    ),
                    Param("amount", PType.MONEY, T("Montant", "المبلغ", "Amount"), required=True),
                ),
                default=[],
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Le montant global des contributions financières s'élève à "
                    "{total_amount} {currency}.",
                    "يبلغ المبلغ الإجمالي للمساهمات المالية {total_amount} {currency}.",
                    "Financial contributions total {currency} {total_amount}.",
                )
            ),
            Block(
                when="schedule",
                text=T(
                    "Les versements interviennent selon l'échéancier suivant :",
                    "تتم الأداءات وفق الجدولة التالية:",
                    "Payments are made on the following schedule:",
                ),
            ),
            Block(table="schedule"),
        ),
    ),
    ClauseSpec(
        code="use_of_funds",
        kind=Kind.BASE,
        title=T(
            "Conditions d'utilisation des fonds et dépenses éligibles",
            "شروط استعمال الأموال والنفقات المؤهلة",
            "Use of funds and eligible expenses",
        ),
        params=(
            Param(
                "eligible_expenses",
                PType.TEXT,
                T("Dépenses éligibles", "النفقات المؤهلة", "Eligible expenses"),
                required=True,
                default=_text(
                    "les dépenses de fonctionnement, d'entretien et d'animation "
                    "prévues au plan d'action adopté par le conseil",
                    "نفقات التسيير والصيانة والتنشيط المنصوص عليها في خطة العمل "
                    "التي يعتمدها المجلس",
                    "operating, maintenance and activity expenses provided for "
                    "in the action plan adopted by the board",
                ),
            ),
            Param(
                "ineligible_expenses",
                PType.TEXT,
                T("Dépenses non éligibles", "النفقات غير المؤهلة", "Ineligible expenses"),
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Les fonds sont exclusivement affectés à l'objet de la présente "
                    "convention. Sont éligibles : {eligible_expenses}.",
                    "تخصص الأموال حصريا لموضوع هذه الاتفاقية. وتعتبر مؤهلة: {eligible_expenses}.",
                    "Funds are used only for the purpose of this convention. Eligible: "
                    "{eligible_expenses}.",
                )
            ),
            Block(
                when="ineligible_expenses",
                text=T(
                    "Ne sont pas éligibles : {ineligible_expenses}.",
                    "ولا تعتبر مؤهلة: {ineligible_expenses}.",
                    "Not eligible: {ineligible_expenses}.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="follow_up",
        kind=Kind.BASE,
        title=T("Suivi et compte rendu", "التتبع والتقارير", "Follow-up and reporting"),
        params=(
            Param(
                "committee",
                PType.TEXT,
                T("Comité de suivi", "لجنة التتبع", "Monitoring committee"),
                required=True,
                default=_text(
                    "un comité de suivi composé d'un représentant de chaque partie",
                    "لجنة للتتبع تتكون من ممثل عن كل طرف",
                    "a monitoring committee of one representative of each party",
                ),
            ),
            Param(
                "meeting_frequency_months",
                PType.INT,
                T(
                    "Réunion du comité tous les (mois)",
                    "اجتماع اللجنة كل (شهر)",
                    "Committee meets every (months)",
                ),
                required=True,
                default=6,
                minimum=1,
                maximum=60,
            ),
            Param(
                "reporting_frequency_months",
                PType.INT,
                T(
                    "Rapport d'activité tous les (mois)",
                    "تقرير النشاط كل (شهر)",
                    "Activity report every (months)",
                ),
                required=True,
                default=6,
                minimum=1,
                maximum=60,
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Le suivi de la convention est assuré par {committee}, qui se réunit "
                    "au moins tous les {meeting_frequency_months} mois.",
                    "يتولى تتبع تنفيذ الاتفاقية {committee}، وتجتمع مرة كل "
                    "{meeting_frequency_months} أشهر على الأقل.",
                    "The convention is monitored by {committee}, meeting at least every "
                    "{meeting_frequency_months} months.",
                )
            ),
            Block(
                text=T(
                    "Un rapport d'activité et financier est remis aux parties tous les "
                    "{reporting_frequency_months} mois.",
                    "يقدم تقرير عن النشاط والوضعية المالية إلى الأطراف كل "
                    "{reporting_frequency_months} أشهر.",
                    "An activity and financial report is sent to the parties every "
                    "{reporting_frequency_months} months.",
                )
            ),
        ),
    ),
    ClauseSpec(
        code="control",
        kind=Kind.BASE,
        title=T("Contrôle et évaluation", "المراقبة والتقييم", "Control and evaluation"),
        params=(
            Param(
                "control_bodies",
                PType.TEXT,
                T("Organes de contrôle", "هيئات المراقبة", "Control bodies"),
                required=True,
                default=_text(
                    "des services de contrôle compétents de l'État et des juridictions financières",
                    "مصالح المراقبة المختصة التابعة للدولة والمحاكم المالية",
                    "the competent State inspection services and financial courts",
                ),
            ),
            Param(
                "document_access",
                PType.BOOL,
                T(
                    "Accès aux pièces justificatives",
                    "الاطلاع على الوثائق المثبتة",
                    "Access to supporting documents",
                ),
                default=True,
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Les parties se soumettent au contrôle {control_bodies}.",
                    "تخضع الأطراف لمراقبة {control_bodies}.",
                    "The parties are subject to the control of {control_bodies}.",
                )
            ),
            Block(
                when="document_access",
                text=T(
                    "Elles tiennent à leur disposition toutes les pièces justificatives "
                    "des dépenses et des actions menées.",
                    "وتضع رهن إشارتها جميع الوثائق المثبتة للنفقات والأعمال المنجزة.",
                    "They keep all supporting documents of expenses and actions at their disposal.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="accounting",
        kind=Kind.BASE,
        title=T("Obligations comptables", "الالتزامات المحاسبية", "Accounting obligations"),
        params=(
            Param(
                "separate_accounts",
                PType.BOOL,
                T("Comptabilité distincte", "محاسبة مستقلة", "Separate accounts"),
                default=True,
            ),
            Param(
                "retention_years",
                PType.INT,
                T(
                    "Conservation des pièces (années)",
                    "مدة حفظ الوثائق (بالسنوات)",
                    "Records kept for (years)",
                ),
                required=True,
                default=10,
                minimum=1,
                maximum=50,
            ),
        ),
        blocks=(
            Block(
                when="separate_accounts",
                text=T(
                    "Les opérations du partenariat font l'objet d'une comptabilité distincte.",
                    "تمسك محاسبة مستقلة لعمليات الشراكة.",
                    "The partnership's operations are kept in separate accounts.",
                ),
            ),
            Block(
                text=T(
                    "Les pièces comptables sont conservées pendant {retention_years} ans.",
                    "تحفظ الوثائق المحاسبية لمدة {retention_years} سنوات.",
                    "Accounting records are kept for {retention_years} years.",
                )
            ),
        ),
    ),
    ClauseSpec(
        code="suspension",
        kind=Kind.BASE,
        title=T(
            "Suspension, résiliation et remboursement",
            "التوقيف والفسخ والإرجاع",
            "Suspension, termination for breach and refund",
        ),
        params=(
            Param(
                "breach_notice_days",
                PType.INT,
                T(
                    "Délai de mise en demeure (jours)",
                    "أجل الإنذار (بالأيام)",
                    "Formal notice period (days)",
                ),
                required=True,
                default=30,
                minimum=1,
                maximum=365,
            ),
            Param(
                "refund",
                PType.BOOL,
                T(
                    "Remboursement des sommes non utilisées",
                    "إرجاع المبالغ غير المستعملة",
                    "Refund of unused sums",
                ),
                default=True,
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "En cas de manquement d'une partie à ses engagements, la convention "
                    "peut être suspendue ou résiliée après une mise en demeure restée sans "
                    "effet pendant {breach_notice_days} jours.",
                    "في حالة إخلال أحد الأطراف بالتزاماته، يمكن توقيف الاتفاقية أو فسخها "
                    "بعد إنذار يظل بدون جدوى لمدة {breach_notice_days} يوما.",
                    "If a party fails to meet its commitments, the convention may be "
                    "suspended or terminated after a formal notice left unanswered for "
                    "{breach_notice_days} days.",
                )
            ),
            Block(
                when="refund",
                text=T(
                    "Les sommes versées et non utilisées conformément à la convention sont "
                    "remboursées.",
                    "وترجع المبالغ المدفوعة التي لم تستعمل وفقا للاتفاقية.",
                    "Sums paid and not used in accordance with the convention are refunded.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="amendments",
        kind=Kind.BASE,
        title=T("Avenants", "الملاحق", "Amendments"),
        params=(
            Param(
                "board_opinion",
                PType.BOOL,
                T("Avis préalable du conseil", "الرأي المسبق للمجلس", "Prior opinion of the board"),
                default=True,
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Toute modification de la présente convention fait l'objet d'un "
                    "avenant écrit signé par l'ensemble des parties.",
                    "يكون كل تعديل لهذه الاتفاقية موضوع ملحق مكتوب يوقعه جميع الأطراف.",
                    "Any change to this convention is made by a written amendment signed "
                    "by all the parties.",
                )
            ),
            Block(
                when="board_opinion",
                text=T(
                    "Le projet d'avenant est soumis à l'avis préalable du conseil "
                    "d'administration.",
                    "يعرض مشروع الملحق على الرأي المسبق لمجلس الإدارة.",
                    "The draft amendment is first submitted to the board for its opinion.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="disputes",
        kind=Kind.BASE,
        title=T("Règlement des différends", "تسوية النزاعات", "Disputes"),
        params=(
            Param(
                "amicable_days",
                PType.INT,
                T(
                    "Délai de règlement amiable (jours)",
                    "أجل التسوية الودية (بالأيام)",
                    "Amicable settlement period (days)",
                ),
                required=True,
                default=60,
                minimum=1,
                maximum=365,
            ),
            Param(
                "jurisdiction",
                PType.TEXT,
                T("Juridiction compétente", "المحكمة المختصة", "Competent court"),
                required=True,
                default=_text(
                    "le tribunal administratif territorialement compétent",
                    "المحكمة الإدارية المختصة ترابيا",
                    "the administrative court with territorial jurisdiction",
                ),
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Les parties recherchent un règlement amiable de tout différend dans "
                    "un délai de {amicable_days} jours. À défaut, le différend est porté "
                    "devant {jurisdiction}.",
                    "تسعى الأطراف إلى تسوية ودية لكل نزاع داخل أجل {amicable_days} يوما، "
                    "وإلا يرفع النزاع إلى {jurisdiction}.",
                    "The parties seek to settle any dispute amicably within "
                    "{amicable_days} days; failing that, it goes before {jurisdiction}.",
                )
            ),
        ),
    ),
    ClauseSpec(
        code="entry_into_force",
        kind=Kind.BASE,
        title=T("Entrée en vigueur", "الدخول حيز التنفيذ", "Entry into force"),
        params=(
            Param(
                "condition",
                PType.CHOICE,
                T("Condition", "الشرط", "Condition"),
                required=True,
                default="approval",
                choices=(
                    (
                        "signature",
                        T(
                            "à la signature par toutes les parties",
                            "عند توقيعها من طرف جميع الأطراف",
                            "on signature by all parties",
                        ),
                    ),
                    (
                        "approval",
                        T(
                            "après visa de l'autorité de tutelle",
                            "بعد التأشير عليها من طرف سلطة المراقبة",
                            "after approval by the supervisory authority",
                        ),
                    ),
                    (
                        "date",
                        T(
                            "à la date d'effet indiquée",
                            "في تاريخ السريان المحدد",
                            "on the stated date of effect",
                        ),
                    ),
                ),
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "La présente convention entre en vigueur {condition}.",
                    "تدخل هذه الاتفاقية حيز التنفيذ {condition}.",
                    "This convention enters into force {condition}.",
                )
            ),
            Block(
                when="effective_date",
                text=T(
                    "Date d'effet : {effective_date}.",
                    "تاريخ السريان: {effective_date}.",
                    "Date of effect: {effective_date}.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="annexes",
        kind=Kind.BASE,
        title=T("Annexes", "الملحقات", "Annexes"),
        mandatory=False,
        params=(
            Param(
                "documents",
                PType.LIST,
                T("Documents annexés", "الوثائق الملحقة", "Annexed documents"),
                default=_lst([], [], []),
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Les annexes font partie intégrante de la présente convention, "
                    "notamment la composition du conseil d'administration.",
                    "تعتبر الملحقات جزءا لا يتجزأ من هذه الاتفاقية، ولا سيما تركيبة مجلس الإدارة.",
                    "The annexes form part of this convention, in particular the "
                    "composition of the board.",
                )
            ),
            Block(items="documents"),
        ),
    ),
)


_MANAGEMENT: tuple[ClauseSpec, ...] = (
    ClauseSpec(
        code="legal_framework",
        kind=Kind.MANAGEMENT,
        title=T("Cadre juridique", "الإطار القانوني", "Legal framework"),
        params=(
            Param(
                "country",
                PType.CHOICE,
                T("Pays", "البلد", "Country"),
                required=True,
                default="MA",
                choices=COUNTRIES,
            ),
            Param(
                "references",
                PType.LIST,
                T("Textes de référence", "النصوص المرجعية", "Legal references"),
                required=True,
                default=LEGAL_REFERENCES["MA"],
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "La présente convention est conclue dans le cadre des textes suivants :",
                    "أبرمت هذه الاتفاقية في إطار النصوص التالية:",
                    "This convention is made under the following texts:",
                )
            ),
            Block(items="references"),
        ),
    ),
    ClauseSpec(
        code="board",
        kind=Kind.MANAGEMENT,
        title=T(
            "Conseil d'administration, nomination et choix du bureau",
            "مجلس الإدارة، التعيين واختيار المكتب",
            "Board, appointments and choice of officers",
        ),
        params=(
            Param(
                "composition",
                PType.TABLE,
                T("Composition du conseil", "تركيبة المجلس", "Board composition"),
                required=True,
                columns=(
                    ORG,
                    Param(
                        "college",
                        PType.CHOICE,
                        T("Collège", "الهيئة الناخبة", "College"),
                        required=True,
                        choices=COLLEGES,
                    ),
                    Param(
                        "seats",
                        PType.INT,
                        T("Sièges", "المقاعد", "Seats"),
                        required=True,
                        minimum=1,
                        maximum=50,
                    ),
                    Param("voting", PType.BOOL, T("Voix délibérative", "صوت تقريري", "Voting")),
                    Param(
                        "women",
                        PType.INT,
                        T(
                            "Sièges réservés aux femmes",
                            "مقاعد مخصصة للنساء",
                            "Seats held by women",
                        ),
                        minimum=0,
                        maximum=50,
                    ),
                ),
                default=[
                    {
                        "organization": "Collectivité chef de file",
                        "college": "local_public",
                        "seats": 2,
                        "voting": True,
                        "women": 1,
                    },
                    {
                        "organization": "Association partenaire",
                        "college": "associative",
                        "seats": 2,
                        "voting": True,
                        "women": 1,
                    },
                    {
                        "organization": "Organisme public partenaire",
                        "college": "other_public",
                        "seats": 1,
                        "voting": True,
                        "women": 0,
                    },
                ],
            ),
            Param(
                "officers",
                PType.MULTI,
                T("Membres du bureau", "أعضاء المكتب", "Officers"),
                required=True,
                choices=OFFICERS,
                default=["chair", "vice_chair", "secretary", "treasurer"],
            ),
            Param(
                "officer_selection",
                PType.CHOICE,
                T("Choix du bureau", "اختيار المكتب", "How officers are chosen"),
                required=True,
                default="elected",
                choices=(
                    (
                        "elected",
                        T(
                            "élus par le conseil parmi ses membres votants",
                            "ينتخبهم المجلس من بين أعضائه ذوي الصوت التقريري",
                            "elected by the board among its voting members",
                        ),
                    ),
                    (
                        "designated",
                        T(
                            "désignés par la collectivité chef de file",
                            "تعينهم الجماعة رئيسة المشروع",
                            "designated by the lead authority",
                        ),
                    ),
                    (
                        "rotating",
                        T(
                            "assurés à tour de rôle par les parties",
                            "يتناوب عليهم الأطراف",
                            "held by the parties in turn",
                        ),
                    ),
                ),
            ),
            Param(
                "officer_term_years",
                PType.INT,
                T(
                    "Mandat du bureau (années)",
                    "مدة انتداب المكتب (بالسنوات)",
                    "Officers' term (years)",
                ),
                required=True,
                default=2,
                minimum=1,
                maximum=10,
            ),
            Param(
                "max_seat_share",
                PType.FRACTION,
                T(
                    "Part maximale des sièges d'une organisation",
                    "الحصة القصوى من المقاعد لهيئة واحدة",
                    "Maximum seat share of one organisation",
                ),
                required=True,
                default="1/2",
            ),
            Param(
                "required_colleges",
                PType.MULTI,
                T("Collèges obligatoires", "الهيئات الإلزامية", "Required colleges"),
                choices=COLLEGES,
                default=["local_public", "associative"],
            ),
            Param(
                "max_non_voting",
                PType.INT,
                T(
                    "Sièges consultatifs au plus",
                    "الحد الأقصى للمقاعد الاستشارية",
                    "Advisory seats at most",
                ),
                default=3,
                minimum=0,
                maximum=50,
            ),
            Param(
                "no_dictator",
                PType.BOOL,
                T(
                    "Aucune organisation ne décide seule",
                    "لا تنفرد أي هيئة بالقرار",
                    "No organisation decides alone",
                ),
                default=True,
            ),
            Param(
                "warn_veto",
                PType.BOOL,
                T(
                    "Signaler un droit de veto de fait",
                    "التنبيه إلى حق النقض الفعلي",
                    "Warn of a de facto veto",
                ),
                default=False,
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Le partenariat est administré par un conseil d'administration où "
                    "siègent les parties selon la composition figurant en annexe. Chaque "
                    "partie désigne ses représentants par décision de son organe "
                    "compétent et peut les remplacer.",
                    "يدير الشراكة مجلس إدارة تتمثل فيه الأطراف وفق التركيبة المبينة في "
                    "الملحق. ويعين كل طرف ممثليه بقرار من جهازه المختص ويمكنه تعويضهم.",
                    "The partnership is run by a board on which the parties sit as set "
                    "out in the annex. Each party appoints its representatives by "
                    "decision of its competent body and may replace them.",
                )
            ),
            Block(
                text=T(
                    "Les experts siègent avec voix consultative : ils ne votent pas et ne "
                    "comptent pas pour le quorum.",
                    "يحضر الخبراء بصفة استشارية: لا يصوتون ولا يحتسبون في النصاب.",
                    "Experts sit in an advisory capacity: they do not vote and do not "
                    "count towards the quorum.",
                )
            ),
            Block(
                text=T(
                    "Les membres du bureau ({officers}) sont {officer_selection}, pour "
                    "{officer_term_years} ans.",
                    "أعضاء المكتب ({officers}) {officer_selection}، لمدة "
                    "{officer_term_years} سنوات.",
                    "The officers ({officers}) are {officer_selection}, for "
                    "{officer_term_years} years.",
                )
            ),
            Block(
                text=T(
                    "Aucune organisation ne détient plus de {max_seat_share} des sièges ; "
                    "les sièges ne dépendent pas du montant des contributions.",
                    "لا تتوفر أي هيئة على أكثر من {max_seat_share} من المقاعد، ولا "
                    "ترتبط المقاعد بحجم المساهمات.",
                    "No organisation holds more than {max_seat_share} of the seats; seats "
                    "do not depend on the size of contributions.",
                )
            ),
        ),
    ),
    ClauseSpec(
        code="deliberations",
        kind=Kind.MANAGEMENT,
        title=T("Délibérations du conseil", "مداولات المجلس", "Board deliberations"),
        params=(
            Param(
                "method",
                PType.CHOICE,
                T("Mode de décision", "طريقة اتخاذ القرار", "Decision method"),
                required=True,
                default="consensus",
                choices=METHODS,
            ),
            Param(
                "threshold",
                PType.FRACTION,
                T(
                    "Seuil de majorité qualifiée",
                    "عتبة الأغلبية الموصوفة",
                    "Qualified majority threshold",
                ),
                default="2/3",
            ),
            Param(
                "base",
                PType.CHOICE,
                T("Base de calcul", "قاعدة الاحتساب", "Base"),
                required=True,
                default="present",
                choices=BASES,
            ),
            Param(
                "quorum",
                PType.FRACTION,
                T("Quorum", "النصاب", "Quorum"),
                required=True,
                default="1/2",
            ),
            Param(
                "quorum_per_college",
                PType.FRACTION,
                T("Quorum dans chaque collège", "النصاب داخل كل هيئة", "Quorum in each college"),
            ),
            Param(
                "tie_break",
                PType.CHOICE,
                T("Partage des voix", "تعادل الأصوات", "Tie"),
                default="none",
                choices=(
                    (
                        "none",
                        T(
                            "la proposition n'est pas adoptée",
                            "لا يصادق على المقترح",
                            "the motion fails",
                        ),
                    ),
                    (
                        "chair",
                        T(
                            "la voix du président est prépondérante",
                            "يرجح صوت الرئيس",
                            "the chair has a casting vote",
                        ),
                    ),
                ),
            ),
            Param(
                "fallback_method",
                PType.CHOICE,
                T(
                    "Second tour : mode de décision",
                    "الدور الثاني: طريقة القرار",
                    "Second round: method",
                ),
                default="qualified",
                choices=FALLBACK_METHODS,
            ),
            Param(
                "fallback_threshold",
                PType.FRACTION,
                T("Second tour : seuil", "الدور الثاني: العتبة", "Second round: threshold"),
                default="2/3",
            ),
            Param(
                "fallback_base",
                PType.CHOICE,
                T("Second tour : base", "الدور الثاني: القاعدة", "Second round: base"),
                default="present",
                choices=BASES,
            ),
            Param(
                "fallback_from_round",
                PType.INT,
                T(
                    "Second tour : à partir du tour",
                    "الدور الثاني: ابتداء من الدور",
                    "Second round: from round",
                ),
                default=2,
                minimum=2,
                maximum=9,
            ),
            Param(
                "double_majority",
                PType.CHOICE,
                T(
                    "Double majorité par collège",
                    "الأغلبية المزدوجة حسب الهيئات",
                    "Double majority by college",
                ),
                default="none",
                choices=(
                    ("none", T("non", "لا", "no")),
                    ("all", T("dans tous les collèges", "في جميع الهيئات", "in every college")),
                    (
                        "majority",
                        T("dans la majorité des collèges", "في أغلبية الهيئات", "in most colleges"),
                    ),
                ),
            ),
            Param(
                "max_proxies",
                PType.INT,
                T(
                    "Procurations par membre au plus",
                    "الحد الأقصى للتوكيلات لكل عضو",
                    "Proxies per member at most",
                ),
                required=True,
                default=1,
                minimum=0,
                maximum=10,
            ),
            Param(
                "notice_days",
                PType.INT,
                T(
                    "Délai de convocation (jours)",
                    "أجل الاستدعاء (بالأيام)",
                    "Notice period (days)",
                ),
                required=True,
                default=10,
                minimum=0,
                maximum=90,
            ),
            Param(
                "second_convocation_quorum",
                PType.FRACTION,
                T(
                    "Quorum de la seconde convocation",
                    "نصاب الاستدعاء الثاني",
                    "Quorum at a second convocation",
                ),
            ),
            Param(
                "conflicts_of_interest",
                PType.TEXT,
                T("Conflits d'intérêts", "تضارب المصالح", "Conflicts of interest"),
                required=True,
                default=_text(
                    "Tout membre qui a un intérêt personnel ou celui de son "
                    "organisation dans une question le déclare et ne prend part "
                    "ni au débat ni au vote",
                    "يصرح كل عضو له مصلحة شخصية أو لهيئته في مسألة ما بذلك، ولا "
                    "يشارك في المناقشة ولا في التصويت",
                    "A member with a personal interest, or an interest of their "
                    "organisation, in a matter declares it and takes part in "
                    "neither the debate nor the vote",
                ),
            ),
            Param(
                "code_of_conduct",
                PType.TEXT,
                T("Code de conduite", "مدونة السلوك", "Code of conduct"),
            ),
        ),
        blocks=(
            Block(text=T("{decision_rule}", "{decision_rule}", "{decision_rule}")),
            Block(
                when="fallback_method",
                text=T("{fallback_rule}", "{fallback_rule}", "{fallback_rule}"),
            ),
            Block(
                when="double_majority!=none",
                text=T(
                    "La décision requiert en outre la majorité simple {double_majority}.",
                    "ويتطلب القرار كذلك الأغلبية البسيطة {double_majority}.",
                    "A decision also requires a simple majority {double_majority}.",
                ),
            ),
            Block(
                text=T(
                    "Le conseil ne délibère valablement que si au moins {quorum} des "
                    "membres ayant voix délibérative sont présents ou représentés.",
                    "لا تصح مداولات المجلس إلا بحضور أو تمثيل {quorum} على الأقل من "
                    "الأعضاء ذوي الصوت التقريري.",
                    "The board may deliberate only if at least {quorum} of its voting "
                    "members are present or represented.",
                )
            ),
            Block(
                when="quorum_per_college",
                text=T(
                    "Chaque collège doit en outre être présent à hauteur de "
                    "{quorum_per_college} de ses membres.",
                    "ويجب كذلك حضور {quorum_per_college} من أعضاء كل هيئة.",
                    "Each college must also be present for {quorum_per_college} of its members.",
                ),
            ),
            Block(
                when="second_convocation_quorum",
                text=T(
                    "À défaut de quorum, le conseil est convoqué à nouveau et délibère "
                    "si {second_convocation_quorum} des membres sont présents.",
                    "في حالة عدم اكتمال النصاب، يستدعى المجلس من جديد ويتداول بحضور "
                    "{second_convocation_quorum} من الأعضاء.",
                    "Without a quorum, the board is convened again and may deliberate "
                    "with {second_convocation_quorum} of its members present.",
                ),
            ),
            Block(
                text=T(
                    "Les membres sont convoqués au moins {notice_days} jours avant la "
                    "séance. Un membre peut donner procuration à un autre membre ; nul ne "
                    "peut détenir plus de {max_proxies} procuration(s).",
                    "يستدعى الأعضاء {notice_days} أيام على الأقل قبل الاجتماع. ويمكن "
                    "للعضو أن يوكل عضوا آخر، ولا يجوز لأي عضو أن يحمل أكثر من "
                    "{max_proxies} توكيل.",
                    "Members are convened at least {notice_days} days before the "
                    "meeting. A member may give a proxy to another member; nobody may "
                    "hold more than {max_proxies} proxy(ies).",
                )
            ),
            Block(
                when="tie_break=chair",
                text=T(
                    "En cas de partage égal des voix, {tie_break}.",
                    "في حالة تعادل الأصوات، {tie_break}.",
                    "In case of a tie, {tie_break}.",
                ),
            ),
            Block(
                text=T(
                    "Conflits d'intérêts : {conflicts_of_interest}.",
                    "تضارب المصالح: {conflicts_of_interest}.",
                    "Conflicts of interest: {conflicts_of_interest}.",
                )
            ),
            Block(
                when="code_of_conduct",
                text=T(
                    "Code de conduite : {code_of_conduct}.",
                    "مدونة السلوك: {code_of_conduct}.",
                    "Code of conduct: {code_of_conduct}.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="management_structure",
        kind=Kind.MANAGEMENT,
        title=T("Structure de gestion", "بنية التدبير", "Management structure"),
        params=(
            Param(
                "structure",
                PType.CHOICE,
                T("Structure", "البنية", "Structure"),
                required=True,
                default="light",
                choices=(
                    (
                        "light",
                        T(
                            "une structure légère : un coordinateur et des agents "
                            "des collectivités, à temps partiel ou plein",
                            "بنية خفيفة: منسق وموظفون من الجماعات بدوام جزئي أو كامل",
                            "a light structure: a coordinator and staff of the "
                            "local authorities, part- or full-time",
                        ),
                    ),
                    (
                        "associative",
                        T(
                            "une structure associative : un coordinateur mis "
                            "à disposition, des bénévoles et des activités "
                            "déléguées par le conseil",
                            "بنية جمعوية: منسق موضوع رهن الإشارة ومتطوعون وأنشطة يفوضها المجلس",
                            "an associative structure: a seconded "
                            "coordinator, volunteers and activities "
                            "delegated by the board",
                        ),
                    ),
                    (
                        "project_team",
                        T(
                            "une équipe de projet dirigée par un directeur",
                            "فريق مشروع يديره مدير",
                            "a project team led by a director",
                        ),
                    ),
                ),
            ),
            Param(
                "director",
                PType.BOOL,
                T("Un directeur est nommé", "تعيين مدير", "A director is appointed"),
                default=False,
            ),
            Param("recruitment", PType.TEXT, T("Recrutement", "التوظيف", "Recruitment")),
            Param(
                "delegation",
                PType.TEXT,
                T("Délégation aux partenaires", "التفويض للشركاء", "Delegation to partners"),
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "La gestion courante est assurée par {structure}.",
                    "يتولى التدبير اليومي {structure}.",
                    "Day-to-day management is carried out by {structure}.",
                )
            ),
            Block(
                when="director",
                text=T(
                    "Le conseil nomme un directeur, qui rend compte au conseil.",
                    "يعين المجلس مديرا يكون مسؤولا أمامه.",
                    "The board appoints a director, who reports to the board.",
                ),
            ),
            Block(
                when="recruitment",
                text=T(
                    "Recrutement : {recruitment}.",
                    "التوظيف: {recruitment}.",
                    "Recruitment: {recruitment}.",
                ),
            ),
            Block(
                when="delegation",
                text=T(
                    "Délégation : {delegation}.",
                    "التفويض: {delegation}.",
                    "Delegation: {delegation}.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="action_plan",
        kind=Kind.MANAGEMENT,
        title=T("Plan d'action", "خطة العمل", "Action plan"),
        params=(
            Param(
                "mandatory",
                PType.BOOL,
                T("Plan d'action obligatoire", "خطة عمل إلزامية", "Action plan compulsory"),
                default=True,
            ),
            Param(
                "adopted_by_board",
                PType.BOOL,
                T("Adopté par le conseil", "يصادق عليها المجلس", "Adopted by the board"),
                default=True,
            ),
            Param(
                "adoption_deadline_days",
                PType.INT,
                T(
                    "Délai d'adoption (jours après l'entrée en vigueur)",
                    "أجل المصادقة (بالأيام بعد الدخول حيز التنفيذ)",
                    "Adoption deadline (days after entry into force)",
                ),
                required=True,
                default=90,
                minimum=1,
                maximum=730,
                missing_code="action_plan_deadline_missing",
                missing_message=T(
                    "La clause « Plan d'action » ne fixe pas de délai d'adoption du plan.",
                    "بند «خطة العمل» لا يحدد أجلا للمصادقة على الخطة.",
                    "The “Action plan” clause sets no deadline for adopting the plan.",
                ),
            ),
            Param(
                "revision",
                PType.CHOICE,
                T("Révision", "المراجعة", "Revision"),
                required=True,
                default="annual",
                choices=(
                    ("annual", T("chaque année", "كل سنة", "every year")),
                    ("semiannual", T("chaque semestre", "كل ستة أشهر", "every six months")),
                    (
                        "on_demand",
                        T(
                            "à la demande d'une partie",
                            "بطلب من أحد الأطراف",
                            "at the request of a party",
                        ),
                    ),
                ),
            ),
        ),
        blocks=(
            Block(
                when="mandatory",
                text=T(
                    "Un plan d'action pluriannuel, assorti d'un budget, est obligatoire.",
                    "تعتبر خطة العمل متعددة السنوات المرفقة بميزانية إلزامية.",
                    "A multi-year action plan with a budget is compulsory.",
                ),
            ),
            Block(
                when="adopted_by_board",
                text=T(
                    "Il est adopté par le conseil d'administration dans les "
                    "{adoption_deadline_days} jours suivant l'entrée en vigueur de la "
                    "convention.",
                    "ويصادق عليها مجلس الإدارة داخل أجل {adoption_deadline_days} يوما "
                    "من دخول الاتفاقية حيز التنفيذ.",
                    "It is adopted by the board within {adoption_deadline_days} days of "
                    "the convention's entry into force.",
                ),
            ),
            Block(
                text=T(
                    "Il est révisé {revision}.", "وتراجع {revision}.", "It is revised {revision}."
                )
            ),
        ),
    ),
    ClauseSpec(
        code="audit",
        kind=Kind.MANAGEMENT,
        title=T(
            "Audit, évaluation et contrôle des dépenses",
            "الافتحاص والتقييم ومراقبة النفقات",
            "Audit, evaluation and expense control",
        ),
        params=(
            Param(
                "evaluation_frequency_months",
                PType.INT,
                T(
                    "Évaluation de la performance tous les (mois)",
                    "تقييم الأداء كل (شهر)",
                    "Performance evaluation every (months)",
                ),
                required=True,
                default=12,
                minimum=1,
                maximum=60,
            ),
            Param(
                "expense_tolerance",
                PType.PERCENT,
                T(
                    "Dépassement toléré d'une ligne du plan",
                    "التجاوز المسموح به في بند من الخطة",
                    "Tolerated overrun of a plan line",
                ),
                required=True,
                default="1/10",
            ),
            Param(
                "financial_verification",
                PType.TEXT,
                T("Vérification financière", "التحقق المالي", "Financial verification"),
                required=True,
                default=_text(
                    "une vérification annuelle des comptes",
                    "تحقق سنوي من الحسابات",
                    "an annual verification of the accounts",
                ),
            ),
            Param(
                "audit_frequency_months",
                PType.INT,
                T("Audit tous les (mois)", "الافتحاص كل (شهر)", "Audit every (months)"),
                required=True,
                default=12,
                minimum=1,
                maximum=60,
                missing_code="audit_frequency_missing",
                missing_message=T(
                    "La clause « Audit » ne fixe pas la fréquence des audits.",
                    "بند «الافتحاص» لا يحدد وتيرة عمليات الافتحاص.",
                    "The “Audit” clause sets no audit frequency.",
                ),
            ),
            Param(
                "auditor",
                PType.CHOICE,
                T("Auditeur", "المدقق", "Auditor"),
                required=True,
                default="external",
                choices=(
                    (
                        "external",
                        T(
                            "un auditeur externe indépendant",
                            "مدقق خارجي مستقل",
                            "an independent external auditor",
                        ),
                    ),
                    (
                        "public_body",
                        T(
                            "un organe public de contrôle",
                            "هيئة عمومية للمراقبة",
                            "a public control body",
                        ),
                    ),
                    (
                        "internal",
                        T(
                            "le comité d'audit du conseil",
                            "لجنة الافتحاص التابعة للمجلس",
                            "the board's audit committee",
                        ),
                    ),
                ),
            ),
            Param(
                "auditor_name", PType.STRING, T("Nom de l'auditeur", "اسم المدقق", "Auditor's name")
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "La performance du partenariat est évaluée tous les "
                    "{evaluation_frequency_months} mois au regard du plan d'action et du "
                    "cadre de résultats.",
                    "يقيم أداء الشراكة كل {evaluation_frequency_months} أشهر على ضوء خطة "
                    "العمل وإطار النتائج.",
                    "The partnership's performance is evaluated every "
                    "{evaluation_frequency_months} months against the action plan and "
                    "the results framework.",
                )
            ),
            Block(
                text=T(
                    "Les dépenses sont contrôlées au regard du plan d'action : tout "
                    "dépassement d'une ligne au-delà de {expense_tolerance} requiert une "
                    "décision du conseil.",
                    "تراقب النفقات على ضوء خطة العمل: كل تجاوز لبند بأكثر من "
                    "{expense_tolerance} يستلزم قرارا من المجلس.",
                    "Expenses are controlled against the action plan: any overrun of a "
                    "line beyond {expense_tolerance} requires a board decision.",
                )
            ),
            Block(
                text=T(
                    "La vérification financière comprend {financial_verification}. Un "
                    "audit est conduit tous les {audit_frequency_months} mois par "
                    "{auditor}.",
                    "يشمل التحقق المالي {financial_verification}. ويجري {auditor} "
                    "افتحاصا كل {audit_frequency_months} أشهر.",
                    "Financial verification includes {financial_verification}. An audit "
                    "is carried out every {audit_frequency_months} months by {auditor}.",
                )
            ),
            Block(
                when="auditor_name",
                text=T(
                    "Auditeur désigné : {auditor_name}.",
                    "المدقق المعين: {auditor_name}.",
                    "Appointed auditor: {auditor_name}.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="termination",
        kind=Kind.MANAGEMENT,
        title=T("Fin du partenariat", "انتهاء الشراكة", "End of the partnership"),
        params=(
            Param(
                "notice_days",
                PType.INT,
                T(
                    "Préavis de dénonciation (jours)",
                    "أجل الإشعار بالإنهاء (بالأيام)",
                    "Notice of termination (days)",
                ),
                required=True,
                default=180,
                minimum=0,
                maximum=730,
            ),
            Param(
                "staff_disposition",
                PType.CHOICE,
                T("Sort du personnel", "مصير المستخدمين", "Staff"),
                required=True,
                default="return_to_origin",
                choices=(
                    (
                        "return_to_origin",
                        T(
                            "retourne à son organisation d'origine",
                            "يعودون إلى هيئاتهم الأصلية",
                            "return to their organisation of origin",
                        ),
                    ),
                    (
                        "taken_over",
                        T(
                            "est repris par la collectivité chef de file",
                            "تتكفل بهم الجماعة رئيسة المشروع",
                            "are taken over by the lead authority",
                        ),
                    ),
                    (
                        "contracts_end",
                        T(
                            "voit ses contrats prendre fin dans le respect du droit du travail",
                            "تنتهي عقودهم وفق قانون الشغل",
                            "have their contracts ended under labour law",
                        ),
                    ),
                ),
                missing_code="termination_staff_missing",
                missing_message=T(
                    "La clause « Fin du partenariat » ne dit pas ce que devient le personnel.",
                    "بند «انتهاء الشراكة» لا يحدد مصير المستخدمين.",
                    "The “End of the partnership” clause does not say what happens to the staff.",
                ),
            ),
            Param(
                "assets_disposition",
                PType.CHOICE,
                T(
                    "Sort des équipements et des locaux",
                    "مصير التجهيزات والمقرات",
                    "Equipment and premises",
                ),
                required=True,
                default="return_to_owner",
                choices=(
                    (
                        "return_to_owner",
                        T(
                            "reviennent à la partie qui les a apportés",
                            "تعود إلى الطرف الذي قدمها",
                            "return to the party that provided them",
                        ),
                    ),
                    (
                        "lead_authority",
                        T(
                            "reviennent à la collectivité chef de file",
                            "تؤول إلى الجماعة رئيسة المشروع",
                            "go to the lead authority",
                        ),
                    ),
                    (
                        "by_key",
                        T(
                            "sont répartis selon la clé de répartition",
                            "توزع وفق مفتاح التوزيع",
                            "are shared by the sharing key",
                        ),
                    ),
                ),
                missing_code="termination_assets_missing",
                missing_message=T(
                    "La clause « Fin du partenariat » ne dit pas ce que "
                    "deviennent les équipements et les locaux.",
                    "بند «انتهاء الشراكة» لا يحدد مصير التجهيزات والمقرات.",
                    "The “End of the partnership” clause does not say what "
                    "happens to equipment and premises.",
                ),
            ),
            Param(
                "surplus_disposition",
                PType.CHOICE,
                T("Excédent d'exploitation", "فائض الاستغلال", "Operating surplus"),
                required=True,
                default="by_key",
                choices=(
                    (
                        "by_key",
                        T(
                            "est réparti entre les parties selon la clé de répartition",
                            "يوزع بين الأطراف وفق مفتاح التوزيع",
                            "is shared among the parties by the sharing key",
                        ),
                    ),
                    (
                        "lead_authority",
                        T(
                            "revient à la collectivité chef de file",
                            "يؤول إلى الجماعة رئيسة المشروع",
                            "goes to the lead authority",
                        ),
                    ),
                    (
                        "public_interest",
                        T(
                            "est affecté à une action d'intérêt public de même objet",
                            "يخصص لعمل ذي منفعة عامة له نفس الموضوع",
                            "goes to a public-interest action with the same purpose",
                        ),
                    ),
                ),
                missing_code="termination_surplus_missing",
                missing_message=T(
                    "La clause « Fin du partenariat » ne dit pas ce que "
                    "devient un excédent d'exploitation.",
                    "بند «انتهاء الشراكة» لا يحدد مصير فائض الاستغلال.",
                    "The “End of the partnership” clause does not say what "
                    "happens to an operating surplus.",
                ),
            ),
            Param(
                "deficit_disposition",
                PType.CHOICE,
                T("Déficit d'exploitation", "عجز الاستغلال", "Operating deficit"),
                required=True,
                default="by_key",
                choices=(
                    (
                        "by_key",
                        T(
                            "est supporté par les parties selon la clé de répartition",
                            "تتحمله الأطراف وفق مفتاح التوزيع",
                            "is borne by the parties by the sharing key",
                        ),
                    ),
                    (
                        "lead_authority",
                        T(
                            "est supporté par la collectivité chef de file",
                            "تتحمله الجماعة رئيسة المشروع",
                            "is borne by the lead authority",
                        ),
                    ),
                ),
                missing_code="termination_deficit_missing",
                missing_message=T(
                    "La clause « Fin du partenariat » ne dit pas qui supporte "
                    "un déficit d'exploitation.",
                    "بند «انتهاء الشراكة» لا يحدد من يتحمل عجز الاستغلال.",
                    "The “End of the partnership” clause does not say who "
                    "bears an operating deficit.",
                ),
            ),
            Param(
                "sharing_key",
                PType.TABLE,
                T("Clé de répartition", "مفتاح التوزيع", "Sharing key"),
                columns=(
                    ORG,
                    Param("share", PType.PERCENT, T("Part", "الحصة", "Share"), required=True),
                ),
                default=[{"organization": "Collectivité chef de file", "share": "1"}],
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "Chaque partie peut mettre fin à sa participation moyennant un "
                    "préavis de {notice_days} jours notifié aux autres parties.",
                    "يمكن لكل طرف إنهاء مشاركته بإشعار مدته {notice_days} يوما يبلغ إلى "
                    "باقي الأطراف.",
                    "Each party may end its participation with {notice_days} days' "
                    "notice to the other parties.",
                )
            ),
            Block(
                text=T(
                    "À la fin du partenariat, le personnel {staff_disposition} ; les "
                    "équipements et les locaux {assets_disposition}.",
                    "عند انتهاء الشراكة، فإن المستخدمين {staff_disposition}؛ والتجهيزات "
                    "والمقرات {assets_disposition}.",
                    "When the partnership ends, staff {staff_disposition}; equipment "
                    "and premises {assets_disposition}.",
                )
            ),
            Block(
                text=T(
                    "L'excédent d'exploitation éventuel {surplus_disposition} ; le "
                    "déficit éventuel {deficit_disposition}.",
                    "الفائض المحتمل {surplus_disposition}؛ والعجز المحتمل {deficit_disposition}.",
                    "Any operating surplus {surplus_disposition}; any deficit "
                    "{deficit_disposition}.",
                )
            ),
            Block(
                when="sharing_key", text=T("Clé de répartition :", "مفتاح التوزيع:", "Sharing key:")
            ),
            Block(table="sharing_key"),
        ),
    ),
    ClauseSpec(
        code="communication",
        kind=Kind.MANAGEMENT,
        title=T(
            "Communication et transparence", "التواصل والشفافية", "Communication and transparency"
        ),
        params=(
            Param(
                "plan",
                PType.BOOL,
                T("Plan de communication", "مخطط التواصل", "Communication plan"),
                default=True,
            ),
            Param(
                "register",
                PType.BOOL,
                T("Registre des informations", "سجل المعلومات", "Information register"),
                default=True,
            ),
            Param(
                "public_portal",
                PType.BOOL,
                T(
                    "Publication sur le portail public",
                    "النشر في البوابة العمومية",
                    "Publication on the public portal",
                ),
                default=True,
            ),
            Param(
                "open_data",
                PType.BOOL,
                T("Données ouvertes", "البيانات المفتوحة", "Open data"),
                default=True,
            ),
        ),
        blocks=(
            Block(
                when="plan",
                text=T(
                    "Le conseil adopte un plan de communication qui organise "
                    "l'information donnée aux usagers et aux citoyens et celle reçue "
                    "d'eux.",
                    "يعتمد المجلس مخططا للتواصل ينظم المعلومات المقدمة للمرتفقين "
                    "والمواطنين وتلك الواردة منهم.",
                    "The board adopts a communication plan organising information given "
                    "to, and received from, users and citizens.",
                ),
            ),
            Block(
                when="register",
                text=T(
                    "Un registre des informations reçues et des réponses apportées est tenu.",
                    "يمسك سجل للمعلومات الواردة والأجوبة المقدمة.",
                    "A register of information received and answers given is kept.",
                ),
            ),
            Block(
                when="public_portal",
                text=T(
                    "La convention, les décisions du conseil et les rapports sont "
                    "publiés sur le portail public.",
                    "تنشر الاتفاقية وقرارات المجلس والتقارير في البوابة العمومية.",
                    "The convention, board decisions and reports are published on the "
                    "public portal.",
                ),
            ),
            Block(
                when="open_data",
                text=T(
                    "Les données non personnelles sont publiées en données ouvertes.",
                    "تنشر المعطيات غير الشخصية كبيانات مفتوحة.",
                    "Non-personal data are published as open data.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="evaluation",
        kind=Kind.MANAGEMENT,
        title=T("Évaluation continue", "التقييم المستمر", "Continuous evaluation"),
        params=(
            Param(
                "results_framework",
                PType.BOOL,
                T("Cadre de résultats", "إطار النتائج", "Results framework"),
                default=True,
            ),
            Param(
                "indicators",
                PType.LIST,
                T("Indicateurs principaux", "المؤشرات الرئيسية", "Key indicators"),
                default=_lst([], [], []),
            ),
            Param(
                "final_evaluation",
                PType.BOOL,
                T("Évaluation finale", "التقييم النهائي", "Final evaluation"),
                default=True,
            ),
        ),
        blocks=(
            Block(
                text=T(
                    "L'évaluation est continue : elle porte sur l'utilisation des fonds, "
                    "les mesures de réussite et les systèmes de suivi.",
                    "التقييم مستمر: يشمل استعمال الأموال ومقاييس النجاح وأنظمة التتبع.",
                    "Evaluation is continuous: it covers the use of funds, measures of "
                    "success and monitoring systems.",
                )
            ),
            Block(
                when="results_framework",
                text=T(
                    "Le conseil adopte un cadre de résultats avec des indicateurs, leurs "
                    "valeurs de référence et leurs cibles.",
                    "يعتمد المجلس إطارا للنتائج يتضمن مؤشرات وقيمها المرجعية وأهدافها.",
                    "The board adopts a results framework with indicators, baselines and targets.",
                ),
            ),
            Block(items="indicators"),
            Block(
                when="final_evaluation",
                text=T(
                    "Une évaluation finale est conduite avant la fin du partenariat.",
                    "يجرى تقييم نهائي قبل انتهاء الشراكة.",
                    "A final evaluation is carried out before the partnership ends.",
                ),
            ),
        ),
    ),
    ClauseSpec(
        code="gender",
        kind=Kind.MANAGEMENT,
        title=T(
            "Égalité entre les femmes et les hommes",
            "المساواة بين النساء والرجال",
            "Gender equality",
        ),
        params=(
            Param(
                "women_target",
                PType.FRACTION,
                T("Part minimale de femmes", "الحصة الدنيا للنساء", "Minimum share of women"),
                required=True,
                default="1/3",
            ),
            Param(
                "parity_aim",
                PType.BOOL,
                T("Objectif de parité", "هدف المناصفة", "Parity as the aim"),
                default=True,
            ),
            Param(
                "scope",
                PType.MULTI,
                T("S'applique à", "يطبق على", "Applies to"),
                default=["board", "staff"],
                choices=(
                    ("board", T("des membres du conseil", "من أعضاء المجلس", "of board members")),
                    (
                        "staff",
                        T("du personnel de gestion", "من مستخدمي التدبير", "of management staff"),
                    ),
                ),
            ),
            Param(
                "consultative_body",
                PType.BOOL,
                T(
                    "Avis de l'instance de l'équité, de l'égalité des chances et de "
                    "l'approche genre",
                    "رأي هيئة المساواة وتكافؤ الفرص ومقاربة النوع",
                    "Opinion of the equity, equal opportunity and gender body",
                ),
                default=True,
            ),
        ),
        blocks=(
            Block(
                when="scope",
                text=T(
                    "Les femmes représentent au moins {women_target} {scope}.",
                    "تمثل النساء {women_target} على الأقل {scope}.",
                    "Women make up at least {women_target} {scope}.",
                ),
            ),
            Block(
                when="parity_aim",
                text=T("La parité est l'objectif.", "المناصفة هي الهدف.", "Parity is the aim."),
            ),
            Block(
                when="consultative_body",
                text=T(
                    "Le bilan annuel en est présenté à l'instance de l'équité, de "
                    "l'égalité des chances et de l'approche genre de la commune.",
                    "ويعرض الحصيلة السنوية على هيئة المساواة وتكافؤ الفرص ومقاربة النوع بالجماعة.",
                    "An annual report is presented to the commune's equity, equal "
                    "opportunity and gender body.",
                ),
            ),
        ),
    ),
)

#: A free article (title and text per language, no parameters); may appear many times.
CUSTOM = ClauseSpec(
    code="custom",
    kind=Kind.BASE,
    title=T("Article libre", "مادة حرة", "Free article"),
    blocks=(),
    mandatory=False,
    repeatable=True,
)

CATALOGUE: tuple[ClauseSpec, ...] = (*_BASE, *_MANAGEMENT, CUSTOM)
BY_CODE: Mapping[str, ClauseSpec] = {spec.code: spec for spec in CATALOGUE}
#: The order in which clauses are proposed and numbered by default.
DEFAULT_ORDER: Mapping[str, int] = {spec.code: (i + 1) * 10 for i, spec in enumerate(CATALOGUE)}


def spec_for(code: str) -> ClauseSpec:
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(code) from None


def mandatory_codes(partnership_kind: str) -> tuple[str, ...]:
    """Codes of the clauses a convention must hold for a partnership of this kind.

    Management clauses (M15) are mandatory for management partnerships only.
    """
    return tuple(
        spec.code
        for spec in CATALOGUE
        if spec.mandatory and (spec.kind is Kind.BASE or partnership_kind == "management")
    )
