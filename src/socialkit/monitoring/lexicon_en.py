"""The English sentiment lexicon of the default scorer: data only.

Valences run from -3 (very negative) to +3 (very positive), in the manner of
VADER's lexicon, written for what customers say to brands (delivery, service,
quality, price). Words are lower case; ``'`` is kept in contractions.
"""

from __future__ import annotations

from typing import Final

__all__ = ["BOOSTERS", "CONTRAST", "DAMPENERS", "NEGATORS", "WORDS"]


def _weighted(groups: dict[float, str]) -> dict[str, float]:
    return {word: weight for weight, words in groups.items() for word in words.split()}


WORDS: Final[dict[str, float]] = _weighted(
    {
        3.0: """
            amazing awesome brilliant excellent exceptional fantastic flawless incredible
            magnificent marvelous marvellous outstanding perfect phenomenal spectacular superb
            wonderful stellar love loved loves adore adored adorable best masterpiece
            delighted thrilled ecstatic
        """,
        2.0: """
            beautiful enjoy enjoyed enjoying excited exciting fabulous gorgeous grateful great
            happy impressed impressive lovely pleased recommend recommended satisfied stunning
            thank thanks thankful glad fun favourite favorite cool sweet joy joyful wow yay
            helpful reliable smooth delightful superior charming cheerful elegant
            fast quick speedy friendly generous kind polite responsive solid sturdy durable
            comfortable cozy cosy fresh tasty delicious yummy neat handy affordable bargain
            worth congrats congratulations bravo kudos win winner winning wonderfully
            appreciate appreciated proud
        """,
        1.0: """
            good nice fine ok okay decent fair like liked likes useful easy clean clear safe
            secure interesting improve improved improvement better works working worked fixed
            resolved support supported welcome calm honest simple effective efficient
            accurate convenient positive promising hope hopeful ready agree agreed
            correct right smart valuable well
        """,
        -1.0: """
            slow late delay delayed delays confusing confused meh mediocre average boring bland
            expensive pricey overpriced small noisy odd weird strange unclear complicated
            difficult hard problem problems issue issues bug bugs glitch glitches wrong error
            errors mistake missing lost worry worried concern concerned unfortunately sadly
            tired annoying annoyed bother bothered doubt doubtful unsure unhappy inconvenient
            cheap flimsy fragile lacking limited outdated
        """,
        -2.0: """
            bad poor sad angry upset disappointed disappointing disappointment frustrated
            frustrating frustration broken broke damaged defective faulty fail failed fails
            failing failure useless worthless rude unhelpful unprofessional unreliable refund
            complaint complain complained complaining hate hated hates ugly dirty smelly stale
            leaking leak leaked crash crashed crashes crashing scam ripoff rip-off fraud fake
            misleading liar lies lied ignored ignoring waste wasted unacceptable ridiculous
            nightmare mess messed shame shameful sucks sucked sick hurt painful pain
            dangerous unsafe incompetent careless sloppy overcharged cancelled canceled
            never-again regret regrets
        """,
        -3.0: """
            awful terrible horrible horrendous atrocious abysmal appalling disgusting dreadful
            pathetic worst furious outraged outrageous hateful toxic catastrophe disaster
            disastrous unbearable unusable scammed scammers despise loathe garbage trash
            rubbish crap shitty
        """,
    }
)
"""Sentiment words and their valence."""

BOOSTERS: Final[dict[str, float]] = _weighted(
    {
        1.6: "extremely incredibly absolutely totally utterly super insanely",
        1.4: "very really so truly highly especially particularly completely thoroughly",
        1.25: "quite pretty too more most much",
    }
)
"""Intensifiers: they multiply the valence of the word they precede."""

DAMPENERS: Final[dict[str, float]] = _weighted(
    {
        0.6: "slightly somewhat barely marginally",
        0.75: "a-bit kinda kind-of sort-of fairly rather little",
    }
)
"""Diminishers: they shrink the valence of the word they precede."""

NEGATORS: Final[dict[str, float]] = _weighted(
    {
        -0.75: """
            not no isn't isnt aren't arent wasn't wasnt weren't werent don't dont doesn't
            doesnt didn't didnt can't cant cannot couldn't couldnt won't wont wouldn't wouldnt
            shouldn't shouldnt haven't havent hasn't hasnt hadn't hadnt ain't aint without
            hardly nor
        """,
        -1.0: "never nothing nobody neither none nowhere",
    }
)
"""Negators and the factor they apply to the word they govern (a flip, softened)."""

CONTRAST: Final[frozenset[str]] = frozenset({"but", "however", "although", "though", "yet"})
"""Words after which a sentence's judgement weighs more ("good, but slow")."""
