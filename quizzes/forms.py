"""Reading an attempt page's POST into raw answers, one per question position.

Field names: ``q<position>`` for single, true/false, short answer, numerical and
essay; ``q<position>`` repeated for multiple response (choices are posted as the
tokens the page shows, ``presenting.option_token``); ``q<position>-<pair id>``
for matching; ``q<position>-order`` (comma-separated item ids) for ordering.
Beside each question, ``q<position>-seq`` is the sequence number of the answer the
page showed (``Response.sequence``). Positions must be integers of this page;
anything else is a tampered post.
"""

from collections.abc import Iterable

from django.http import QueryDict

from quizzes.grading import InvalidResponse
from quizzes.models import QuestionType
from quizzes.presenting import option_ids


def answers_from_post(post: QueryDict, responses: Iterable) -> dict[int, object]:
    """Raw answers for the given responses (the questions on the posted page)."""
    answers: dict[int, object] = {}
    for response in responses:
        key = f"q{response.position}"
        kind = response.snapshot["type"]
        if kind == QuestionType.DESCRIPTION:
            continue
        if kind == QuestionType.MULTIPLE:
            if f"{key}-present" in post or key in post:
                answers[response.position] = option_ids(response, post.getlist(key))
        elif kind == QuestionType.MATCHING:
            pairs = {
                pair["id"]: post.get(f"{key}-{pair['id']}", "")
                for pair in response.snapshot["pairs"]
                if f"{key}-{pair['id']}" in post
            }
            if pairs:
                answers[response.position] = {k: v for k, v in pairs.items() if v}
        elif kind == QuestionType.ORDERING:
            if f"{key}-order" in post:
                order = [i for i in post.get(f"{key}-order", "").split(",") if i]
                # The shuffled order as first shown is not an answer (it is never
                # the right one): only a moved or earlier answer is saved.
                untouched = order == response.snapshot.get("display_order")
                if not (untouched and response.answer is None):
                    answers[response.position] = order
        elif key in post:
            values = post.getlist(key)
            if len(values) != 1:
                raise InvalidResponse("One answer expected for this question.")
            if kind == QuestionType.SINGLE:
                values = option_ids(response, values)
            answers[response.position] = values[0]
    return answers


def posted_sequences(post: QueryDict, responses: Iterable) -> dict[int, int]:
    """The sequence each question of the page showed. A question without one is
    left out (the service takes it as 0: the page showed it never answered);
    anything but an ASCII integer is a tampered post."""
    sequences = {}
    for response in responses:
        raw = post.get(f"q{response.position}-seq")
        if raw is None:
            continue
        if not (raw.isascii() and raw.isdecimal()):
            raise InvalidResponse("Malformed answer sequence.")
        sequences[response.position] = int(raw)
    return sequences


def posted_positions(post: QueryDict) -> set[int]:
    """Every question position a post names; a non-integer one is tampering."""
    positions = set()
    for name in post:
        if not name.startswith("q") or name in {"q"}:
            continue
        head = name[1:].split("-", 1)[0]
        if not (head.isascii() and head.isdecimal()):
            raise InvalidResponse("Unknown field in the answers.")
        positions.add(int(head))
    return positions


def apply_move(order: list[str], move: str, position: int) -> list[str] | None:
    """Apply "<position>:<item id>:up|down" to an ordering answer (keyboard UI)."""
    try:
        pos, item, direction = move.split(":")
    except ValueError:
        raise InvalidResponse("Malformed move.") from None
    if not (pos.isascii() and pos.isdecimal()) or int(pos) != position:
        return None
    if item not in order or direction not in {"up", "down"}:
        raise InvalidResponse("Malformed move.")
    index = order.index(item)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order = order[:]
        order[index], order[target] = order[target], order[index]
    return order
