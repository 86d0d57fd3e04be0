"""One call for a kampung's estimated level, its scores, indices and next-level plan."""

from dataclasses import dataclass

from .inputs import KampungInputs
from .levels import Level
from .plans import NextLevelPlan, build_plan
from .scoring import GroupIndices, Scores, estimated_level, group_indices, score_indicators


@dataclass(frozen=True)
class Assessment:
    """Everything the kampung page shows about the estimated level (domain.md §2)."""

    scores: Scores
    indices: GroupIndices
    level: Level
    plan: NextLevelPlan
    missing_for_next_level: tuple[str, ...]


def assess(inputs: KampungInputs) -> Assessment:
    """Score, index and classify ``inputs`` by the §2 rule, with what is missing."""
    scores = score_indicators(inputs)
    indices = group_indices(scores)
    plan = build_plan(inputs, scores, indices)
    return Assessment(
        scores=scores,
        indices=indices,
        level=estimated_level(indices),
        plan=plan,
        missing_for_next_level=tuple(plan.texts()),
    )
