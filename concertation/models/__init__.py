from concertation.models.instances import ContextEvent, Delegation, Instance, Membership
from concertation.models.meetings import AgendaItem, Attendance, Decision, FollowUp, Meeting
from concertation.models.plans import Action, ActionPlan, Demarche, DemarcheStage, Indicator, Objective
from concertation.models.priorities import (
    Ballot,
    BallotChoice,
    Candidate,
    PriorityExercise,
    VotingRound,
    Workshop,
    WorkshopSelection,
)

__all__ = [
    "Action", "ActionPlan", "AgendaItem", "Attendance", "Ballot", "BallotChoice", "Candidate", "ContextEvent",
    "Decision", "Delegation", "Demarche", "DemarcheStage", "FollowUp", "Indicator", "Instance", "Meeting", "Membership",
    "Objective", "PriorityExercise", "VotingRound", "Workshop", "WorkshopSelection",
]  # fmt: skip
