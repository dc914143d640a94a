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

from quizzes import types as question_types
from quizzes.grading import InvalidResponse
from quizzes.types.base import NOT_POSTED


def answers_from_post(post: QueryDict, responses: Iterable) -> dict[int, object]:
    """Raw answers for the given responses (the questions on the posted page).

    Each question's fields are read by its type (``read_post`` in
    ``quizzes/types/<type>.py``); a question whose fields were not posted is left
    out.
    """
    answers: dict[int, object] = {}
    for response in responses:
        snapshot = response.snapshot
        qtype = question_types.get(snapshot["type"])
        value = qtype.read_post(post, f"q{response.position}", snapshot, response)
        if value is not NOT_POSTED:
            answers[response.position] = value
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
