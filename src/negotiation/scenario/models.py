"""Pydantic models of a scenario file: frozen, strict about unknown keys.

A scenario is pure data. Expressions (conditions, formulas) are kept as their source text here,
checked for syntax on validation, and compiled by the engine. Cross-references (articles,
positions, phases, actors, variables) are checked by :mod:`negotiation.scenario.checks`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from negotiation.errors import ExpressionError, RuleError
from negotiation.scenario.expr import compile_node, parse
from negotiation.text import Suggester, show

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="An identifier: lower case letters, digits and _, starting with a letter."),
]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"), Field(description="#rrggbb")]

K = TypeVar("K")
V = TypeVar("V")


def _freeze(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(value))


def _thaw(value: Mapping[Any, Any]) -> dict[Any, Any]:
    return dict(value)


FrozenDict = Annotated[Mapping[K, V], AfterValidator(_freeze), PlainSerializer(_thaw)]
"""A mapping that cannot be changed in place (a read-only view of its own dict); dumps as a dict."""


def frozen_empty() -> Mapping[Any, Any]:
    """An empty read-only mapping: the default of a FrozenDict field."""
    return MappingProxyType({})


def _zero(_: str) -> Any:
    return lambda s: 0


def _check_expr(text: str, info: ValidationInfo) -> str:
    try:
        node = parse(text)
    except ExpressionError as exc:
        raise ValueError(f"bad expression at column {exc.column}: {exc}") from None
    try:  # a formula of constants that overflows is known now, not at play time
        compile_node(node, _zero, text)
    except RuleError as exc:
        raise ValueError(str(exc)) from None
    context = info.context if isinstance(info.context, dict) else {}
    names = context.get("names")
    if names is not None:
        unknown = sorted(node.names() - names)
        if unknown:
            suggester = context.get("suggest")
            if not isinstance(suggester, Suggester):  # one index per file: the loader puts it in the context
                suggester = context["suggest"] = Suggester(names)
            close = suggester.suggest(unknown[0])
            hint = f" (did you mean '{close}'?)" if close else ""
            raise ValueError(f"expression names unknown '{show(unknown[0])}'{hint}")
    return text


Expr = Annotated[
    str,
    AfterValidator(_check_expr),
    Field(
        description=(
            "An expression, e.g. 'patience < 20 and date >= 1945-08-09'. Names: variables, date, days, "
            "signed, phase.<id>, <article>.settled|position|demand|offer|mandate|<position id>."
        )
    ),
]

Move = Literal["accept", "counter", "hold", "mandate", "ally", "mediate", "walkout", "sign", "us"]
ARTICLE_MOVES: tuple[Move, ...] = ("accept", "counter", "hold", "mandate", "ally", "mediate", "walkout", "sign")
MOVE_ALIASES: dict[str, str] = {"us": "ally"}  # format 1 names, still read
FORMAT = 2  # the scenario format this program writes; older files keep loading


def _moves(value: tuple[str, ...] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(MOVE_ALIASES.get(m, m) for m in value)


def _line_items(value: object) -> object:
    """Accept a bare string where a list of lines is expected."""
    return [value] if isinstance(value, str) else value


class Model(BaseModel):
    """Base of every scenario model: immutable all the way down, unknown keys rejected, numbers finite."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False, allow_inf_nan=False)


class Meta(Model):
    """Who, what and when: the scenario's identity."""

    id: Id
    title: str = Field(description="The title, e.g. 'Moscow, Summer 1945'.")
    title_native: str = Field("", description="The title in the player's language, e.g. 中蘇友好同盟條約.")
    subtitle: str = Field("", description="A line under the title.")
    version: str = Field("1", description="The scenario's own version, for saves and reviews.")
    player_side: Id = Field(description="The side the player leads.")
    counterpart_side: Id = Field(description="The side across the table, whose values the AI weighs.")
    start_date: dt.date = Field(description="The first day of the game.")
    end_date: dt.date = Field(description="The last day: the game ends by then, signed or not.")
    description: str = Field("", description="A paragraph for the scenario menu.")
    sources: FrozenDict[str, str] = Field(default_factory=frozen_empty, description="Source key -> citation.")
    notes: tuple[str, ...] = Field(
        default_factory=tuple, description="Author's notes: unconfirmed facts, liberties taken."
    )


FlagName = Literal["roc", "prc", "ussr", "usa", "japan", "russian_empire"]
"""The flags the game draws by name (1905-1950: the sides of the bundled scenarios)."""

FLAG_IMAGE_BYTES = 2 * 1024 * 1024


class Emblem(Model):
    """A shape on a flag, placed in fractions of its width and height."""

    shape: Literal["disc", "ring", "star"] = Field(description="disc, ring or star (five points).")
    colour: Colour
    x: float = Field(0.5, ge=0, le=1, description="Centre, from the left edge (0) to the right (1).")
    y: float = Field(0.5, ge=0, le=1, description="Centre, from the top (0) to the bottom (1).")
    size: float = Field(0.3, gt=0, le=1, description="Radius as a fraction of the flag's height.")


class Flag(Model):
    """A flag described as data: equal bands, an optional canton, emblems; or an image beside the scenario."""

    bands: tuple[Colour, ...] = Field(default_factory=tuple, max_length=16,
                                      description="Colours of equal bands, top to bottom (or left to right).")
    vertical: bool = Field(False, description="Bands side by side instead of one above the other.")
    canton: Colour | None = Field(None, description="A rectangle in the top left corner, of this colour.")
    canton_width: float = Field(0.4, gt=0, le=1, description="The canton's width, as a fraction of the flag's.")
    canton_height: float = Field(0.5, gt=0, le=1, description="The canton's height, as a fraction of the flag's.")
    emblems: tuple[Emblem, ...] = Field(default_factory=tuple, max_length=64, description="Shapes drawn on top.")
    image: str | None = Field(
        None, max_length=200, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.(png|jpg|jpeg)$",
        description="A PNG or JPEG file, relative to the scenario's folder (no '..'), drawn instead when it can be "
        "read (at most 2 MB); the bands and emblems are the fallback.",
    )

    @model_validator(mode="after")
    def _inside(self) -> Flag:
        if self.image is not None and ".." in self.image.split("/"):
            raise ValueError("the flag's image must be inside the scenario's folder (no '..')")
        return self


class Side(Model):
    """A party to the negotiation."""

    id: Id
    name: str = Field(description="The side's name, e.g. 'Republic of China'.")
    name_native: str = Field("", description="The name in its own language.")
    colour: Colour = "#888888"
    flag: FlagName | Flag | None = Field(
        None, description="The side's flag: one the game draws by name, or a flag described here (bands, a "
        "canton, emblems, or an image file); without one, a field of the side's colour. Never guessed from the "
        "name.",
    )


LineKey = Literal[
    "accept", "refuse", "concede", "threat", "sign", "refuse_sign", "walkout", "break", "hold", "ask_principal",
    "ask_ally", "retable", "settled", "reopen", "mediated",
]


class Line(Model):
    """One thing the counterpart may say, and when: a bare string is a line with no condition."""

    text: str = Field(description="The words; {article}, {Article} and {position} are filled in.")
    when: Expr = Field("true", description="Said only while this holds.")
    after: Literal[
        "accept", "counter", "hold", "mandate", "ally", "mediate", "walkout", "sign", "option", "any"
    ] = Field("any", description="Said only in answer to this kind of move.")
    speaker: Id | None = Field(None, description="Who says it, if not the counterpart himself (another voice of his "
                               "side: a minister, a deputy).")


LineItem = Annotated[str | Line, Field(description="A line: text, or {text, when, after}.")]
Lines = Annotated[FrozenDict[LineKey, Annotated[tuple[LineItem, ...], BeforeValidator(_line_items)]], Field(
    description="What he says, by situation; lines rotate so that none repeats while another is unsaid.")]


class CounterpartAI(Model):
    """Parameters of the counterpart model (e.g. Stalin and Molotov)."""

    kind: Literal["counterpart"] = Field(description="Always 'counterpart'.")
    aspiration: Expr = Field(description="Value (0-100, counterpart's scale) an offer must reach to be accepted.")
    sign_margin: Expr | None = Field(
        None,
        description="How far the whole package may fall short of his aspirations (weighted average, in points "
        "of his value) and he still signs: 0 means every article must meet his aspiration on average, 5 that "
        "he gives five points for having a treaty at all. Below it he re-tables his terms instead of signing.",
    )
    sign_aspiration: Expr | None = Field(
        None,
        description="Format 1: an absolute value (0-100) the whole package must reach. Superseded by "
        "sign_margin, which follows his aspiration; used only when sign_margin is not given.",
    )
    patience: Id = Field("patience", description="The variable that holds the counterpart's patience.")
    refusal_cost: float = Field(4, description="Patience lost when he refuses a counter-offer.")
    hold_cost: float = Field(7, description="Patience lost when the player holds firm.")
    walkout_cost: float = Field(20, description="Patience lost when the player walks out.")
    accept_gain: float = Field(3, description="Patience regained when the player accepts a demand.")
    threat_below: float = Field(25, description="Below this patience a refusal comes with a threat.")
    walkout_break: Expr = Field(
        "min(1, max(0, (40 - patience) / 40))",
        description="Probability (0-1) that a walkout ends the talks, from the state after the walkout's cost "
        "(the default grows as his patience falls below 40).",
    )
    walkout_softening: float = Field(10, description="Aspiration lost on the article after a walkout he survives.")
    concede_within: int | None = Field(
        None, ge=1,
        description="He answers a refused counter-offer with a concession only when it lies within this many rungs "
        "of his demand; further off he refuses flatly (a hold may still move him). Default: any distance.",
    )
    lines: Lines = Field(default_factory=frozen_empty)


class PrincipalAI(Model):
    """Parameters of the player's principal (e.g. Chiang), who holds the mandate."""

    kind: Literal["principal"] = Field(description="Always 'principal'.")
    confidence: Id = Field("confidence", description="The variable that holds the principal's confidence.")
    overreach_cost: float = Field(8, description="Confidence lost per rung settled beyond the mandate.")
    ask_days: int = Field(3, ge=0, le=365, description="Days before his answer to an appeal arrives.")
    ask_cost: float = Field(3, description="Confidence an appeal costs.")
    grant: Expr = Field("confidence >= 40", description="When an appeal widens the mandate by one rung (tested "
                        "when his answer arrives; an article's own 'principal.grant' overrides it).")
    max_asks: int = Field(6, ge=0, description="Appeals allowed in the whole game.")
    ratify: Expr = Field(
        "confidence > 0",
        description="Whether he stands behind a treaty, tested at signing after the charges for settling beyond "
        "the mandate. When it fails the treaty is not signed: the game ends in 'repudiation' if one is named, "
        "otherwise the signature is withheld.",
    )
    repudiation: Id | None = Field(None, description="The ending when he will not stand behind a treaty.")


class AllyAI(Model):
    """Parameters of the ally the player can call on (e.g. Washington)."""

    kind: Literal["ally"] = Field(description="Always 'ally'.")
    support: Id = Field("support", description="The variable that holds the ally's support ('us_support' in files "
                        "of format 1, which named it after 1945's Washington).")
    gain: Expr = Field("10", description="Support gained by one request (computed when the answer arrives).")
    ask_days: int = Field(2, ge=0, le=365, description="Days before the answer to a request arrives.")
    max_asks: int = Field(4, ge=0, description="Requests allowed in the whole game.")
    available: Expr = Field("true", description="When the ally can be asked (e.g. only while its word still "
                            "counts): outside it the request is not among the player's moves.")


class MediatorAI(Model):
    """Parameters of a mediator both sides listen to (Roosevelt at Portsmouth, Carter at Camp David).

    Asked to mediate on the article on the table, he proposes the best terms for the player that the
    counterpart can be brought to: a rung whose value to the counterpart reaches his aspiration less
    the mediator's ``pressure``. If that is better than the demand, the demand comes down to it (for
    the session, like any concession) and the player may take it; otherwise he finds no bridge.
    """

    kind: Literal["mediator"] = Field(description="Always 'mediator'.")
    pressure: Expr = Field("10", description="Points by which the counterpart's aspiration gives way to the "
                           "mediator's proposal (computed when he proposes).")
    max_asks: int = Field(3, ge=0, description="Proposals the player may ask for in the whole game.")
    available: Expr = Field("true", description="When the mediator can be asked (e.g. only while he is in town).")
    goodwill: Id | None = Field(None, description="A variable for the mediator's goodwill, if the scenario keeps "
                                "one: each request costs ask_cost of it, and 'pressure' may read it.")
    ask_cost: float = Field(0, description="Goodwill each request costs.")
    patience_cost: float = Field(0, description="The counterpart's patience lost each time the mediator presses him.")
    lines: FrozenDict[Literal["propose", "no_bridge"], Annotated[tuple[LineItem, ...], BeforeValidator(_line_items)]] \
        = Field(default_factory=frozen_empty, description="What the mediator says when he proposes terms "
                "({position}: his proposal) and when he finds no bridge.")


AI = Annotated[CounterpartAI | PrincipalAI | AllyAI | MediatorAI, Field(discriminator="kind")]


class Actor(Model):
    """A person at or behind the table."""

    id: Id
    name: str = Field(description="The person's name as shown in the game.")
    name_native: str = Field("", description="The name in its own language.")
    side: Id
    role: Literal["player", "principal", "counterpart", "ally", "mediator", "other"] = Field(
        description="player (exactly one), principal, counterpart, ally, mediator or other."
    )
    title: str = Field("", description="Office or rank, e.g. 'Foreign Minister'.")
    bio: str = Field("", description="A short biography for the dossier.")
    ai: AI | None = Field(None, description="The model that plays this actor (counterpart, principal, ally or "
                          "mediator), if any.")


class Variable(Model):
    """A bounded number the scenario tracks: a meter, a counter or a flag."""

    id: Id
    label: str = Field(description="The name shown on the meter.")
    min: float = Field(0, description="The lowest value: effects are clamped to it.")
    max: float = Field(100, description="The highest value: effects are clamped to it.")
    initial: float = Field(0, description="The value at the start.")
    kind: Literal["meter", "counter", "flag"] = Field(
        "meter", description="meter (shown as a bar), counter or flag (0 or 1)."
    )
    show: bool = Field(True, description="Shown to the player as a meter.")
    description: str = Field("", description="What the variable stands for.")


class Position(Model):
    """One rung of an article's ladder."""

    id: Id
    label: str = Field(max_length=60, description="A short name for lists and the map.")
    text: str = Field(description="The full term as it would stand in the treaty.")
    value: FrozenDict[Id, float] = Field(description="Value 0-100 to each side, keyed by side id.")
    note: str = Field("", description="Why this rung matters: shown on the score card.")
    tabled: str = Field("", description="Who tabled it and when, e.g. 'Soong, 9 July'.")
    sources: tuple[str, ...] = Field(default_factory=tuple, description="Source keys (from scenario.sources).")


class ArticleAI(Model):
    """How the counterpart treats one article."""

    floor: Id | None = Field(None, description="His red line: he never agrees to a rung better for the player.")
    floor_unless: Expr | None = Field(None, description="The lever that lifts the red line while it holds.")
    offset: float = Field(0, description="Added to his aspiration on this article.")
    ally_lever: float = Field(
        0, validation_alias=AliasChoices("ally_lever", "us_lever"),
        description="Aspiration lowered by this much per point of the ally's support ('us_lever' in format 1).",
    )
    adjust: Expr | None = Field(
        None,
        description="An expression added to his aspiration on this article, for levers other than the ally's "
        "support, e.g. '-0.3 * leverage' or '10 * at_war'.",
    )
    weight: float | None = Field(None, description="His weight for this article (default: the article's weight).")
    lines: Lines = Field(default_factory=frozen_empty, description="What he says about this article, by situation; "
                         "these come before his general lines.")


class ArticlePrincipal(Model):
    """How the principal treats appeals for a wider mandate on one article."""

    ceiling: Id | None = Field(
        None, description="The furthest rung an appeal can widen the mandate to (events and options may go further).")
    grant: Expr | None = Field(None, description="When an appeal on this article is granted (default: the "
                               "principal's 'grant').")


class Unsigned(Model):
    """What stands on an article when no treaty is signed: a term off the ladder."""

    label: str = Field(max_length=60, description="A short name, e.g. 'No term: occupation rights'.")
    text: str = Field("", description="What that means.")
    value: FrozenDict[Id, float] = Field(description="Value 0-100 to each side, keyed by side id.")
    note: str = Field("", description="Why, for the score card.")


class Article(Model):
    """An issue under negotiation: a ladder of positions, best for the player first."""

    id: Id
    title: str = Field(description="The article's title as shown in the draft treaty.")
    title_native: str = Field("", description="The title in the player's language.")
    name: str = Field(
        "", max_length=40,
        description="A short name for sentences, with its article: 'the railways', 'Dairen', 'the term' "
        "(default: the title).",
    )
    weight: float = Field(gt=0, description="Weight in the interest score.")
    summary: str = Field("", description="What is at stake, in a sentence or two.")
    positions: tuple[Position, ...] = Field(
        min_length=2, description="The ladder: the player's best position first, the counterpart's maximum last."
    )
    historical: Id = Field(description="The rung actually agreed.")
    demand: Id = Field(description="The counterpart's opening demand.")
    mandate: Id = Field(description="The furthest rung the principal allows at the start.")
    counterpart: ArticleAI = Field(
        default_factory=lambda: ArticleAI(),
        description="How the counterpart treats this article: red line, offset, weight.",
    )
    principal: ArticlePrincipal = Field(
        default_factory=lambda: ArticlePrincipal(),
        description="How the principal treats appeals on this article: the ceiling of the mandate.",
    )
    unsigned: Unsigned | None = Field(
        None, description="What stands on this article when no treaty is signed (endings with "
        "open_articles: unsigned).")
    sources: tuple[str, ...] = Field(default_factory=tuple, description="Source keys (from scenario.sources).")


class Transition(Model):
    """A way out of a phase, taken when its condition holds (first match wins)."""

    to: Id
    when: Expr = "true"


class Phase(Model):
    """A stage of the negotiation: a state of the phase machine."""

    id: Id
    title: str = Field(description="The phase's name, shown when it begins.")
    start: dt.date = Field(description="The phase's first day.")
    end: dt.date = Field(
        description=(
            "The phase's last day, as the calendar shows it; decisions must fall within the phase. "
            "Play leaves a phase when its decisions are done, not on this date."
        )
    )
    location: str = Field("", description="Where it takes place, e.g. 'Moscow'.")
    description: str = Field("", description="Shown when the phase begins.")
    allow_signing: bool = Field(False, description="Whether the player may propose signing here.")
    transitions: tuple[Transition, ...] = Field(
        default_factory=tuple, description="The ways out, tried in order when the phase has nothing left to play."
    )


class Effect(Model):
    """Changes to the game, applied in the order of the keys below (only while ``when`` holds)."""

    when: Expr = Field("true", description="Applied only if this holds when the effect's turn comes: "
                       "conditional effects and log lines inside an option or an event.")

    add: FrozenDict[Id, float] = Field(
        default_factory=frozen_empty, description="Add to variables (clamped to bounds)."
    )
    set: FrozenDict[Id, float] = Field(default_factory=frozen_empty, description="Set variables (clamped to bounds).")
    demand: FrozenDict[Id, Id] = Field(
        default_factory=frozen_empty, description="Set the counterpart's demand on articles."
    )
    settle: FrozenDict[Id, Id] = Field(default_factory=frozen_empty, description="Agree articles at positions.")
    reopen: FrozenDict[Id, Id] = Field(default_factory=frozen_empty, description="Unsettle articles with a new demand.")
    mandate: FrozenDict[Id, Id] = Field(default_factory=frozen_empty, description="Widen (or narrow) the mandate.")
    days: int = Field(0, ge=0, le=3650, description="Days that pass.")
    log: str = Field("", description="A line for the message log.")


class Event(Model):
    """Something that happens on a date (and if its condition holds), without a choice."""

    id: Id
    date: dt.date = Field(description="The day it happens.")
    when: Expr = "true"
    title: str = Field(description="The headline shown in the log.")
    text: str = Field("", description="What happened, shown after the title.")
    speaker: Id | None = Field(None, description="The actor who speaks it, if any.")
    announced: bool = Field(False, description="Known in advance (a conference, a deadline): shown on the calendar. "
                            "Other events are news only when they happen.")
    effects: tuple[Effect, ...] = Field(default_factory=tuple, description="Changes to the game, applied in order.")
    sources: tuple[str, ...] = Field(default_factory=tuple, description="Source keys (from scenario.sources).")


class Option(Model):
    """An authored choice: text, effects, and optionally a package offer the counterpart judges.

    Choosing an option ends the decision, whatever its rounds: to let the player try again after a
    refusal, follow it with another decision (its ``when`` can test a flag the option set).
    """

    id: Id
    label: str = Field(max_length=90, description="The choice as the player sees it.")
    text: str = Field("", description="What the player says, shown in the log.")
    when: Expr = "true"
    risk: str = Field("", description="What the player would know this risks.")
    offer: FrozenDict[Id, Id] = Field(
        default_factory=frozen_empty, description="A package: article -> position offered."
    )
    effects: tuple[Effect, ...] = Field(default_factory=tuple, description="Applied whatever the answer.")
    on_accept: tuple[Effect, ...] = Field(
        default_factory=tuple, description="Applied if the counterpart accepts the offer."
    )
    on_refuse: tuple[Effect, ...] = Field(default_factory=tuple, description="Applied if he refuses it.")
    reply_accept: str = Field("", description="His answer when he accepts.")
    reply_refuse: str = Field("", description="His answer when he refuses.")
    reply: str = Field("", description="The answer to this choice (spoken by the decision's speaker) when it makes "
                       "no offer; without one the player sees only what changed.")


class Decision(Model):
    """A moment the player must answer: a demand on an article, or an authored choice."""

    id: Id
    phase: Id
    date: dt.date = Field(description="The day it comes up (within its phase's dates).")
    title: str = Field(description="The headline of the decision.")
    speaker: Id
    text: str = Field(description="What the speaker says or proposes.")
    when: Expr = "true"
    article: Id | None = Field(None, description="The article on the table, if any.")
    demand: Id | None = Field(None, description="The counterpart's demand now (lowered only, unless raise_demand).")
    raise_demand: bool = Field(False, description="Let 'demand' raise the demand on the table, not only lower it.")
    moves: Annotated[tuple[Move, ...] | None, AfterValidator(_moves)] = Field(
        None, description="Standard moves offered; default: all for an article ('us' is read as 'ally').")
    options: tuple[Option, ...] = Field(
        default_factory=tuple, description="Authored choices besides the standard moves."
    )
    rounds: int = Field(1, ge=1, le=6, description="Exchanges allowed before the session moves on.")
    historical: tuple[str, ...] = Field(
        default_factory=tuple,
        description="What the real delegation did here, in order: accept, counter:<pos>, hold, mandate, ally, ... "
        "(required unless off_path).",
    )
    off_path: bool = Field(False, description="A branch history did not take: the decision does not come up on the "
                           "historical path, so it needs no historical list (lint warns if it does come up there).")
    history: str = Field("", description="What happened, in a line or two.")
    sources: tuple[str, ...] = Field(default_factory=tuple, description="Source keys (from scenario.sources).")


class Ending(Model):
    """A way the game ends; the first whose condition holds ends it."""

    id: Id
    title: str = Field(description="The ending's name on the end screen.")
    when: Expr
    signed: bool = Field(False, description="Whether a treaty stands at this ending.")
    open_articles: Literal["demand", "worst", "best", "unsigned", "draft"] = Field(
        "demand",
        description=(
            "Where articles fall at this ending: the demand on the table, an end of the ladder, (unsigned) "
            "each article's 'unsigned' term where it has one and the last rung where not, or "
            "(draft) agreed articles as agreed and open ones at the demand, as if the draft were signed by "
            "someone else. At a treaty ending (signed: true) this applies to the articles left open; at any "
            "other ending it applies to every article, settled or not, since nothing was signed (except "
            "with 'draft'). 'terms' overrides all."
        ),
    )
    terms: FrozenDict[Id, Id] = Field(
        default_factory=frozen_empty, description="Articles forced to positions at this ending."
    )
    text: str = Field("", description="What happens, shown when the game ends.")
    epilogue: str = Field("", description="What came after, shown on the score card.")


class Signing(Model):
    """When a signature may be proposed at all (besides the phase's allow_signing)."""

    opens: dt.date | None = Field(None, description="No signature may be proposed before this day (e.g. before "
                                  "the drafts exist).")
    when: Expr = Field("true", description="A further condition for proposing to sign.")
    note: str = Field("", description="Why, shown to the player while signing is not yet possible.")


class Wording(Model):
    """The words of the standard moves: {article}, {position}, {principal}, {ally}, {mediator}, {counterpart},
    {meter}."""

    accept: str = "Accept: {position}"
    counter: str = "Propose: {position}"
    hold: str = "Hold firm"
    mandate: str = "Ask {principal} for a wider mandate on {article}"
    ally: str = "Ask {ally} for support"
    mediate: str = "Ask {mediator} to propose terms on {article}"
    walkout: str = "Walk out of the session"
    sign: str = "Propose signing the treaty now"


class Scoring(Model):
    """How fidelity weighs the timeline against the terms."""

    timeline_weight: float = Field(
        0.2, ge=0, le=1, description="The share (0-1) of fidelity that comes from the signing date."
    )
    timeline_days: int = Field(30, gt=0, description="Days off history at which the timeline part reaches 0.")


class History(Model):
    """The historical record the game is scored against."""

    ending: Id
    signed_on: dt.date | None = Field(description="The date the treaty was signed; null if none was.")
    summary: str = Field("", description="What happened, for the score card.")
    aftermath: tuple[str, ...] = Field(default_factory=tuple, description="What came after, one line each.")
    sources: tuple[str, ...] = Field(default_factory=tuple, description="Source keys (from scenario.sources).")


class Document(Model):
    """A page of the briefing dossier."""

    id: Id
    title: str = Field(description="The page's title.")
    date: str = Field("", description="The date shown on the page (free text).")
    text: str = Field(description="The page's text.")
    sources: tuple[str, ...] = Field(default_factory=tuple, description="Source keys (from scenario.sources).")


class MapPlace(Model):
    """A city or point on the map."""

    id: Id
    name: str = Field(description="The place's name.")
    name_native: str = Field("", description="The name in its own language.")
    lon: float = Field(ge=-180, le=180, description="Longitude.")
    lat: float = Field(ge=-90, le=90, description="Latitude.")
    article: Id | None = Field(None, description="Coloured by this article's position in the draft.")


class MapShape(Model):
    """A region (closed polygon) or a line (railway, frontier) in longitude/latitude."""

    id: Id
    name: str = Field(description="The shape's name.")
    kind: Literal["region", "railway", "frontier", "arrow"] = Field(
        "region", description="region (closed polygon), railway, frontier or arrow."
    )
    points: tuple[tuple[float, float], ...] = Field(min_length=2, description="[longitude, latitude] pairs.")
    article: Id | None = Field(None, description="Coloured by this article's position in the draft.")
    when: Expr = Field("true", description="Shown only while this holds (e.g. the Red Army's advance).")


class MapData(Model):
    """A map drawn from data: bounds, regions, lines and places."""

    west: float = Field(description="Western edge (longitude).")
    east: float = Field(description="Eastern edge (longitude).")
    south: float = Field(description="Southern edge (latitude).")
    north: float = Field(description="Northern edge (latitude).")
    arrows: str = Field("", description="The legend's name for the map's arrows, e.g. 'Red Army advance'.")
    shapes: tuple[MapShape, ...] = Field(default_factory=tuple, description="Regions and lines.")
    places: tuple[MapPlace, ...] = Field(default_factory=tuple, description="Cities and points.")


def _format_1_defaults(data: Any) -> Any:
    """Files of format 1 keep their meaning: their ally's support variable defaulted to 'us_support'."""
    if not (isinstance(data, dict) and data.get("format", 1) == 1 and isinstance(data.get("actors"), list)):
        return data
    actors = []
    for actor in data["actors"]:
        ai = actor.get("ai") if isinstance(actor, dict) else None
        if isinstance(ai, dict) and ai.get("kind") == "ally" and "support" not in ai:
            actor = {**actor, "ai": {**ai, "support": "us_support"}}
        actors.append(actor)
    return {**data, "actors": actors}


class Scenario(Model):
    """A whole negotiation."""

    _defaults = model_validator(mode="before")(_format_1_defaults)

    format: int = Field(1, ge=1, le=FORMAT, description=f"The scenario format (this program writes {FORMAT}); "
                        "older formats keep loading, and `negotiation migrate` rewrites them.")
    scenario: Meta = Field(description="Who, what and when: the scenario's identity.")
    sides: tuple[Side, ...] = Field(
        min_length=2, description="The parties: at least the player's side and the counterpart's."
    )
    actors: tuple[Actor, ...] = Field(
        min_length=2, description="The people at or behind the table: exactly one with role player."
    )
    variables: tuple[Variable, ...] = Field(
        default_factory=tuple, description="Meters, counters and flags the scenario tracks (patience, confidence, ...)."
    )
    articles: tuple[Article, ...] = Field(
        min_length=1, description="The issues under negotiation, each a ladder of positions."
    )
    phases: tuple[Phase, ...] = Field(
        min_length=1, description="The stages of the negotiation: the states of the phase machine."
    )
    start_phase: Id = Field(description="The phase the game starts in.")
    events: tuple[Event, ...] = Field(
        default_factory=tuple, description="What happens on a date without the player's choice."
    )
    decisions: tuple[Decision, ...] = Field(
        min_length=1, description="The moments the player must answer, presented by date within their phase."
    )
    endings: tuple[Ending, ...] = Field(
        min_length=1, description="The ways the game ends, checked in order after every step."
    )
    default_ending: Id = Field(description="Ending used when nothing is left to play.")
    signing: Signing = Field(default_factory=lambda: Signing(), description="When a signature may be proposed.")
    moves: Wording = Field(default_factory=lambda: Wording(), description="The words of the standard moves.")
    scoring: Scoring = Field(
        default_factory=lambda: Scoring(), description="How fidelity weighs the timeline against the terms."
    )
    history: History = Field(description="The historical record the game is scored against.")
    briefing: tuple[Document, ...] = Field(default_factory=tuple, description="The pages of the briefing dossier.")
    map: MapData | None = Field(None, description="A map drawn from data, coloured by the draft treaty.")


def _marks_expr(annotation: Any, metadata: Iterable[Any] = ()) -> bool:
    """Whether a field's type is an expression (Expr, or Expr | None)."""
    if any(isinstance(m, AfterValidator) and m.func is _check_expr for m in metadata):
        return True
    if get_origin(annotation) is Annotated:
        return _marks_expr(None, annotation.__metadata__)
    return any(_marks_expr(arg) for arg in get_args(annotation))


def expressions(model: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every expression in a scenario (or any part of one) with its path, found from the models' types."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        here = (*path, name)
        if isinstance(value, str):
            if _marks_expr(info.annotation, info.metadata):
                yield here, value
        else:
            yield from _expressions_in(value, here)


def _expressions_in(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, BaseModel):
        yield from expressions(value, path)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _expressions_in(item, (*path, i))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _expressions_in(item, (*path, str(key)))
