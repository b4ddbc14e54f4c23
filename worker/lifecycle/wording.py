"""What families are told about each right, in plain words: the help beside the request form,
what a pupil aged 12+ is asked when a parent uses a right about them (rule 7), and what the
pupil is told after answering. No rule numbers here: these words are shown to parents and
pupils; the DPO's views cite the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..states import RightType

#: Rights whose answer gives the requester a copy of the pupil's data. Rule 7 is about exactly
#: this: a pupil aged 12+ who does not agree stops the copy (the request is refused). For every
#: other right the pupil's views go to the DPO, who weighs them and decides.
DISCLOSES_PUPIL_DATA = frozenset({RightType.ACCESS, RightType.PORTABILITY, RightType.EXAM_MARKS})


@dataclass(frozen=True)
class RightHelp:
    """The help shown beside the request form for one right."""

    #: What happens next, in one or two sentences.
    what_happens: str
    #: How long the school has to answer.
    how_long: str
    #: What the school may need from the requester.
    what_we_need: str


ONE_MONTH = "We answer within one calendar month of the day we receive your request."
ID_IF_NEEDED = (
    "If you are not signed in to the school's system, we may ask for proof of who you are."
)

RIGHT_HELP: dict[RightType, RightHelp] = {
    RightType.ACCESS: RightHelp(
        "You get a copy of the information the school holds, with other people's details "
        "removed, and an explanation of how it is used and who it is shared with.",
        ONE_MONTH,
        "Nothing more, unless you want only part of it: then tell us which part. " + ID_IF_NEEDED,
    ),
    RightType.EDUCATIONAL_RECORD: RightHelp(
        "You can see your child's educational record, or have a copy of it. This is a "
        "parent's own right at maintained schools.",
        "Within 15 school days. Seeing it is free; a copy may cost no more than the cost of "
        "making it.",
        "Say whether you want to see it or have a copy. " + ID_IF_NEEDED,
    ),
    RightType.EXAM_MARKS: RightHelp(
        "You get the exam marks before the results are published. Answer scripts are not included.",
        "By the earlier of 5 months from your request or 40 days after the results are published.",
        "Which exams, and the results day if you know it.",
    ),
    RightType.PORTABILITY: RightHelp(
        "You get the information that was given to the school, in a file a computer can read "
        "(CSV and JSON), to keep or to pass to another organisation.",
        ONE_MONTH,
        "Where it should go, if you want us to send it on.",
    ),
    RightType.RECTIFICATION: RightHelp(
        "The school checks the information and corrects it, or tells you why it is right. "
        "While we check, you can ask us to limit how it is used.",
        ONE_MONTH,
        "What is wrong and what it should say. Evidence helps (a letter, a certificate).",
    ),
    RightType.ERASURE: RightHelp(
        "The school deletes the information unless the law says we must keep it (for "
        "example safeguarding records or the school roll). We tell you what was deleted, and "
        "what was kept and why.",
        ONE_MONTH,
        "Which information, and why you want it deleted.",
    ),
    RightType.RESTRICTION: RightHelp(
        "The school keeps the information but stops using it, except to store it, while the "
        "question is settled.",
        ONE_MONTH,
        "Which information, and why: for example it is wrong, or you have objected to its use.",
    ),
    RightType.OBJECTION: RightHelp(
        "The school stops using the information in the way you object to, unless it has a "
        "strong reason that outweighs yours. We tell you what we decided and why.",
        ONE_MONTH,
        "Which use you object to, and why it affects you or your child.",
    ),
    RightType.DIRECT_MARKETING: RightHelp(
        "The school stops sending marketing messages (for example from the parents' "
        "association or partners). We do not need a reason.",
        ONE_MONTH,
        "Nothing more. Tell us which messages if it is only some of them.",
    ),
    RightType.AUTOMATED_DECISIONS: RightHelp(
        "A member of staff looks again at a decision a computer made on its own, and you can "
        "give your side.",
        ONE_MONTH,
        "Which decision, and what you would like us to know.",
    ),
    RightType.WITHDRAW_CONSENT: RightHelp(
        "The school stops the use that rested on your consent (for example photographs in "
        "publicity) from now on. What was done before stays lawful.",
        ONE_MONTH,
        "Which consent you are withdrawing.",
    ),
    RightType.YOUTH_SUPPORT_LIMIT: RightHelp(
        "For pupils aged 13 and over, the school passes only name, address and date of birth "
        "(and the parent's name and address) to the council's youth support services. "
        "Parents choose until the pupil is 16; then the pupil chooses.",
        "We record it straight away; it applies to everything the school passes on from then.",
        "Nothing more.",
    ),
    RightType.COMPLAINT: RightHelp(
        "We look into your complaint about how the school handles personal data and tell you "
        "what we found and what we will do. You can also complain to the Information "
        "Commissioner's Office.",
        "We acknowledge it within 30 days, then investigate.",
        "What happened, when, and what you would like the school to do.",
    ),
}


@dataclass(frozen=True)
class PupilQuestion:
    """What a pupil aged 12+ is asked when a parent uses a right about their data (rule 7)."""

    #: The page heading: "{requester} has asked ...".
    heading: str
    #: What saying yes means.
    if_yes: str
    #: What saying no means.
    if_no: str


_DPO_DECIDES = (
    "If you say no, the data protection officer reads what you write and decides, taking your "
    "views into account."
)

PUPIL_QUESTIONS: dict[RightType, PupilQuestion] = {
    RightType.ACCESS: PupilQuestion(
        "{requester} has asked for a copy of your information",
        "If you say yes, the school sends {requester} a copy of the information it holds "
        "about you, with other people's details removed.",
        "If you say no, the school does not send {requester} your information.",
    ),
    RightType.PORTABILITY: PupilQuestion(
        "{requester} has asked for your information in a computer file",
        "If you say yes, the school sends {requester} a file of the information you gave the "
        "school.",
        "If you say no, the school does not send {requester} your information.",
    ),
    RightType.EXAM_MARKS: PupilQuestion(
        "{requester} has asked for your exam marks before results day",
        "If you say yes, the school sends {requester} your marks.",
        "If you say no, the school does not send {requester} your marks.",
    ),
    RightType.RECTIFICATION: PupilQuestion(
        "{requester} has asked the school to correct some of your information",
        "If you say yes, the school checks it and corrects it if it is wrong.",
        _DPO_DECIDES,
    ),
    RightType.ERASURE: PupilQuestion(
        "{requester} has asked the school to delete some of your information",
        "If you say yes, the school deletes it, unless the law says the school must keep it.",
        _DPO_DECIDES,
    ),
    RightType.RESTRICTION: PupilQuestion(
        "{requester} has asked the school to stop using some of your information for now",
        "If you say yes, the school keeps the information but stops using it while the "
        "question is settled.",
        _DPO_DECIDES,
    ),
    RightType.OBJECTION: PupilQuestion(
        "{requester} has objected to how the school uses some of your information",
        "If you say yes, the school looks at stopping that use.",
        _DPO_DECIDES,
    ),
    RightType.DIRECT_MARKETING: PupilQuestion(
        "{requester} has asked the school to stop sending marketing about you",
        "If you say yes, the school stops those messages.",
        _DPO_DECIDES,
    ),
    RightType.AUTOMATED_DECISIONS: PupilQuestion(
        "{requester} has asked for a person to look again at a decision a computer made about you",
        "If you say yes, a member of staff looks at the decision again.",
        _DPO_DECIDES,
    ),
    RightType.WITHDRAW_CONSENT: PupilQuestion(
        "{requester} has withdrawn a consent about you",
        "If you say yes, the school stops the use that rested on that consent.",
        _DPO_DECIDES,
    ),
}

#: For a right missing above (the parent's own rights never ask the pupil).
GENERIC_QUESTION = PupilQuestion(
    "{requester} has made a request about your information",
    "If you say yes, the school goes ahead.",
    _DPO_DECIDES,
)


def pupil_question(right: RightType, requester: str) -> PupilQuestion:
    """The question for this right, with the requester's name filled in."""
    q = PUPIL_QUESTIONS.get(right, GENERIC_QUESTION)
    return PupilQuestion(
        q.heading.format(requester=requester),
        q.if_yes.format(requester=requester),
        q.if_no.format(requester=requester),
    )


def after_pupil_answer(right: RightType, agreed: bool, requester: str) -> str:
    """What the pupil is told once they have answered."""
    if agreed:
        return "Thank you. You agreed, so the school will go ahead."
    if right in DISCLOSES_PUPIL_DATA:
        return f"Thank you. You did not agree, so the school will not send {requester} your data."
    return (
        "Thank you. You did not agree. The data protection officer will read your answer and "
        "decide, taking your views into account."
    )


#: The outcome a parent reads when the pupil did not agree to a copy of their data.
PUPIL_REFUSED_COPY = (
    "{pupil} is 12 or over and did not agree to this request for their information. Their "
    "personal data belongs to them, so the school cannot send it without their agreement."
)


#: What the DPO's answer to each right usually tells the requester: shown beside "Record the
#: answer", so every right gets its own outcome letter, not one generic line.
OUTCOME_GUIDE: dict[RightType, str] = {
    RightType.RECTIFICATION: "what was corrected, and where; or why the record is right as "
    "it is, and that they can add a statement saying they disagree.",
    RightType.ERASURE: "what was deleted; what was kept and the law or reason for keeping it.",
    RightType.RESTRICTION: "what is now used only for storage, and until when or what.",
    RightType.OBJECTION: "whether the use has stopped; if not, the compelling reason that "
    "outweighs their situation.",
    RightType.DIRECT_MARKETING: "that the marketing has stopped, from which senders.",
    RightType.AUTOMATED_DECISIONS: "who looked at the decision again, and what they decided.",
    RightType.WITHDRAW_CONSENT: "which use has stopped, from when.",
    RightType.YOUTH_SUPPORT_LIMIT: "that only name, address and date of birth (and the "
    "parent's name and address) will be passed on, from when.",
    RightType.COMPLAINT: "what was looked into, what was found, and what the school will do; "
    "and that they can complain to the Information Commissioner's Office.",
}


def channel_words(channel: str) -> str:
    """How a request arrived, as a phrase: "through the Privacy tab", "by post", "in person"."""
    if channel == "electronic":
        return "through the Privacy tab"
    return channel if channel == "in person" else f"by {channel}"
