"""Tests of CardSpec validation and the seeded random card generator."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from panread.testing import HOLDER_TYPES, LAYOUTS, CardSpec, CardSpecError, random_card_spec
from panread.testing._names import SURNAMES


def _valid(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "layout": "new",
        "pan": "ABCPS1234K",
        "name": "RAHUL KUMAR SHARMA",
        "dob": dt.date(1990, 5, 17),
        "father_name": "SURESH SHARMA",
    }
    fields.update(changes)
    return fields


def test_same_seed_gives_same_spec() -> None:
    """Two generators seeded alike draw identical cards for every layout."""
    for layout in LAYOUTS:
        assert random_card_spec(random.Random(7), layout) == random_card_spec(
            random.Random(7), layout
        )


def test_different_seeds_give_varied_cards() -> None:
    """Many seeds give many distinct names and PANs."""
    specs = [random_card_spec(random.Random(seed), "new") for seed in range(60)]
    assert len({spec.name for spec in specs}) > 40
    assert len({spec.pan for spec in specs}) == 60


@pytest.mark.parametrize("layout", LAYOUTS)
def test_random_specs_follow_pan_rules(layout: str) -> None:
    """Individual layouts carry P as 4th letter, company cards another holder letter,
    and the 5th letter mostly matches the initial of the family name (printed first, last or
    as the only word) or of the organisation's name."""
    matches = 0
    specs = [random_card_spec(random.Random(seed), layout) for seed in range(200)]
    for spec in specs:
        if layout == "company":
            assert spec.pan[3] in "CFTHABLJG"
            assert spec.father_name is None
            assert spec.mother_name is None
            matches += spec.pan[4] == spec.name[0]
        else:
            assert spec.pan[3] == "P"
            assert spec.holder_type == "individual"
            matches += spec.pan[4] in {word[0] for word in spec.name.split()}
        assert dt.date(1900, 1, 1) <= spec.dob <= dt.date(2025, 1, 1)
    assert matches >= 0.8 * len(specs)


@pytest.mark.parametrize("layout", ["new", "old", "laminated"])
def test_names_come_in_the_styles_real_cards_print(layout: str) -> None:
    """Besides given names and a surname, cards print initials before ('K RAMESH') or after
    ('KIRAN B M') a name, one-word names and names with the surname first."""
    specs = [random_card_spec(random.Random(seed), layout) for seed in range(300)]
    names = [s.name for s in specs] + [s.father_name for s in specs if s.father_name]
    words = [name.split() for name in names]
    assert any(len(w[0]) == 1 and len(w[-1]) > 1 for w in words)
    assert any(len(w[0]) > 1 and len(w[-1]) == 1 for w in words)
    assert any(len(w) == 1 for w in words)
    assert any(w[0] in SURNAMES and len(w) == 3 for w in words)


def test_random_layout_when_none() -> None:
    """Without a layout the generator picks every layout across seeds."""
    layouts = {random_card_spec(random.Random(seed)).layout for seed in range(40)}
    assert layouts == set(LAYOUTS)


def test_old_and_laminated_cards_include_long_names() -> None:
    """Some old-layout names are long enough to wrap onto a second printed line."""
    names = [random_card_spec(random.Random(seed), "old").name for seed in range(100)]
    assert any(len(name) > 30 for name in names)


def test_new_cards_sometimes_print_mother_name_instead_of_father() -> None:
    """A few new-layout cards show the mother's name and then no father's name."""
    specs = [random_card_spec(random.Random(seed), "new") for seed in range(200)]
    with_mother = [spec for spec in specs if spec.mother_name is not None]
    assert with_mother
    assert all(spec.father_name is None for spec in with_mother)


def test_expected_matches_to_dict_shape() -> None:
    """expected() gives the to_dict() values: ISO date, layout, holder type from the PAN."""
    spec = CardSpec(**_valid(pan="ABCFS1234K", layout="company", father_name=None))  # type: ignore[arg-type]
    assert spec.expected() == {
        "pan": "ABCFS1234K",
        "name": "RAHUL KUMAR SHARMA",
        "father_name": None,
        "mother_name": None,
        "dob": "1990-05-17",
        "layout": "company",
        "holder_type": "firm",
    }


def test_holder_type_follows_fourth_letter() -> None:
    """Every documented 4th letter maps to its holder type."""
    for letter, holder in HOLDER_TYPES.items():
        layout = "new" if letter == "P" else "company"
        father = "SURESH SHARMA" if letter == "P" else None
        spec = CardSpec(**_valid(pan=f"ABC{letter}S1234K", layout=layout, father_name=father))  # type: ignore[arg-type]
        assert spec.holder_type == holder


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"layout": "plastic"}, "layout 'plastic'"),
        ({"pan": "ABCP1234K"}, "does not match"),
        ({"pan": "ABCXS1234K"}, "4th letter"),
        ({"name": "Rahul Sharma"}, "name"),
        ({"name": "RAHUL  SHARMA"}, "name"),
        ({"dob": dt.datetime(1990, 1, 1, 10, 0)}, "datetime.date"),
        ({"dob": dt.date(2030, 1, 1)}, "outside"),
        ({"layout": "company"}, "non-individual"),
        ({"pan": "ABCCS1234K"}, "must be P"),
        ({"father_name": None}, "father's or mother's"),
        ({"mother_name": "GEETA SHARMA"}, "either"),
        ({"layout": "old", "father_name": None, "mother_name": "GEETA SHARMA"}, "never"),
        (
            {"layout": "company", "pan": "ABCCS1234K", "father_name": "SURESH SHARMA"},
            "no father",
        ),
    ],
)
def test_invalid_specs_raise_clear_errors(changes: dict[str, object], message: str) -> None:
    """A value no real card could carry raises CardSpecError naming the problem."""
    with pytest.raises(CardSpecError, match=message):
        CardSpec(**_valid(**changes))  # type: ignore[arg-type]


def test_unknown_layout_in_generator_raises() -> None:
    """Asking the generator for an unknown layout is an error, not a silent default."""
    with pytest.raises(CardSpecError, match="layout"):
        random_card_spec(random.Random(1), "passport")
