"""Matching a build's cards with the ledger: which edits keep a card's identity (and its reviews)."""

from __future__ import annotations

from notes2anki.cards import Card
from notes2anki.identity import card_guid
from notes2anki.reconcile import REMOVED_TAG, reconcile, removed_card

T0, T1 = 1_795_000_000, 1_795_500_000


def card(question: str, answer: str = "answer", context: tuple[str, ...] = ("T",), source: str = "a.md:1",
         kind: str = "section") -> Card:
    path, line = source.rsplit(":", 1)
    return Card(kind=kind, guid=card_guid("D", kind, context, question), question=question, answer=answer,
                front=question, back=f"<p>{answer}</p>", context=context, path=path, line=int(line),
                tags=("notes2anki::" + "::".join(context),))


def first_build(*cards: Card):
    return reconcile(None, cards, "D", T0)


def rebuild(before, *cards: Card, **kw):
    return reconcile(before.ledger, cards, "D", T1, **kw)


def whats(rec) -> list[tuple[str, str]]:
    return sorted((c.what, c.question) for c in rec.changes)


def test_first_build_adds_everything_at_the_build_time():
    rec = first_build(card("A"), card("B"))
    assert whats(rec) == [("added", "A"), ("added", "B")]
    assert set(rec.mtimes.values()) == {T0}


def test_nothing_changed_keeps_ids_and_times():
    before = first_build(card("A"), card("B", source="a.md:5"))
    after = rebuild(before, card("A", source="a.md:3"), card("B", source="a.md:9"))
    assert after.changes == ()
    assert after.mtimes == before.mtimes
    assert [c.guid for c in after.cards] == [c.guid for c in before.cards]


def test_edited_answer_is_updated_in_place():
    before = first_build(card("A", "old"))
    after = rebuild(before, card("A", "new"))
    assert whats(after) == [("updated", "A")]
    assert after.cards[0].guid == before.cards[0].guid
    assert after.mtimes[after.cards[0].guid] == T1


def test_punctuation_and_case_changes_keep_the_card():
    before = first_build(card("What is KV cache?"))
    after = rebuild(before, card("What is KV Cache？"))
    assert after.cards[0].guid == before.cards[0].guid
    assert whats(after) == [("updated", "What is KV Cache？")]


def test_section_moved_to_another_file_and_parent_keeps_the_card():
    before = first_build(card("PagedAttention", "blocks", ("AI", "vLLM"), "a.md:4"))
    after = rebuild(before, card("PagedAttention", "blocks", ("Serving", "Memory"), "b.md:10"))
    assert after.cards[0].guid == before.cards[0].guid
    assert [(c.what, c.before) for c in after.changes] == [("moved", "a.md:4")]


def test_moved_and_edited_keeps_the_card_when_the_question_is_unique():
    before = first_build(card("PagedAttention", "blocks", ("AI",)), card("Other", "x"))
    after = rebuild(before, card("PagedAttention", "blocks of KV", ("Serving",), "b.md:2"), card("Other", "x"))
    assert after.cards[0].guid == before.cards[0].guid


def test_heading_reworded_in_place_with_the_same_answer_keeps_the_card():
    before = first_build(card("数据并行", "每张卡一份模型副本"))
    after = rebuild(before, card("数据并行 Data Parallelism", "每张卡一份模型副本"))
    assert after.cards[0].guid == before.cards[0].guid
    assert [(c.what, c.before) for c in after.changes] == [("renamed", "数据并行")]


def test_rewritten_question_with_a_new_answer_is_a_new_card():
    before = first_build(card("KV Cache", "caches keys"))
    after = rebuild(before, card("Speculative decoding", "draft then verify"))
    assert after.cards[0].guid != before.cards[0].guid
    assert whats(after) == [("added", "Speculative decoding"), ("removed", "KV Cache")]


def test_similar_question_but_different_answer_is_a_new_card():
    before = first_build(card("Ring all-reduce", "two phases"))
    after = rebuild(before, card("Tree all-reduce", "log steps"))
    assert after.cards[0].guid != before.cards[0].guid


def test_ambiguous_duplicates_do_not_steal_each_others_ids():
    before = first_build(card("Overview", "about A", ("A",)), card("Overview", "about B", ("B",)))
    after = rebuild(before, card("Overview", "about A, edited", ("A2",)), card("Overview", "about B", ("B2",)))
    by_answer = {c.answer: c.guid for c in after.cards}
    assert by_answer["about B"] == before.cards[1].guid, "same answer: moved"
    assert by_answer["about A, edited"] not in {c.guid for c in before.cards}


def test_kind_must_match():
    before = first_build(card("KV Cache", kind="section"))
    after = rebuild(before, card("KV Cache", kind="definition"))
    assert after.cards[0].guid != before.cards[0].guid


def test_empty_answers_are_no_evidence():
    before = first_build(card("A", ""))
    after = rebuild(before, card("B", ""))
    assert after.cards[0].guid != before.cards[0].guid


def test_removed_cards_stay_tagged_until_pruned():
    before = first_build(card("Keep"), card("Gone", source="a.md:7"))
    after = rebuild(before, card("Keep"))
    (gone,) = after.removed
    assert gone.question == "Gone" and gone.removed == T1
    assert after.mtimes[gone.id] == T1
    again = reconcile(after.ledger, [card("Keep")], "D", T1 + 100)
    assert again.changes == () and len(again.removed) == 1 and again.mtimes[gone.id] == T1
    pruned = reconcile(after.ledger, [card("Keep")], "D", T1 + 100, prune=True)
    assert pruned.removed == () and [e.question for e in pruned.ledger.entries] == ["Keep"]


def test_prune_keeps_cards_removed_in_the_same_build():
    before = first_build(card("Keep"), card("Gone"))
    after = rebuild(before, card("Keep"), prune=True)
    assert [e.question for e in after.removed] == ["Gone"]


def test_a_removed_card_that_comes_back_is_revived():
    before = first_build(card("A"), card("B"))
    gone = rebuild(before, card("A"))
    back = reconcile(gone.ledger, [card("A"), card("B")], "D", T1 + 50)
    assert whats(back) == [("revived", "B")]
    assert back.removed == ()
    assert back.mtimes[back.cards[1].guid] == T1 + 50


def test_cards_of_unreadable_notes_are_kept_not_removed():
    before = first_build(card("A", source="a.md:1"), card("B", source="broken.md:1"))
    after = rebuild(before, card("A"), unreadable=["broken.md"])
    assert after.changes == () and after.removed == ()
    assert {e.question for e in after.ledger.entries} == {"A", "B"}


def test_changes_are_newer_than_anything_before_even_if_the_clock_went_back():
    before = first_build(card("A", "old"))
    after = reconcile(before.ledger, [card("A", "new")], "D", T0 - 3600)
    assert after.mtimes[after.cards[0].guid] > T0


def test_removed_note_is_marked_and_keeps_its_note_type():
    before = first_build(card("Cloze {{c1::x}}", kind="cloze"))
    after = rebuild(before)
    note = removed_card(after.removed[0], "removed")
    assert note.cloze and "{{c1::" in note.front and REMOVED_TAG in note.tags
