"""The five articles the model is built from, cited everywhere by these keys.

The texts live outside the package (the project's design folder); only their keys and
titles are needed at run time, so that every policy, mechanism and design can name its source
and a registry test can check that each cited key exists.
"""

ARTICLES: dict[str, str] = {
    "bokhari2023_hill": "Bokhari, The Hill, Mar 2023: US needs to better protect our allies "
                        "while fighting Russia, especially in Central Asia",
    "burkewhite2022_hill": "Burke-White & Ma, The Hill, Jun 2022: Kazakhstan holds the keys to a "
                           "new geopolitical balance in Asia",
    "crossfire_2023": "News analysis, 2023: Kazakhstan finds itself in the crossfire of Western "
                      "sanctions against Russia",
    "bokhari2022_wt": "Bokhari, Washington Times, Dec 2022: Russia's decline, CPC blockages, "
                      "the Middle Corridor",
    "pirbudagyan2022_isd": "Pir-Budagyan, Georgetown ISD, 2022: Washington needs a more defined "
                           "Kazakhstan policy",
}


def check_keys(keys, where: str) -> None:
    """Raise ValueError if any of ``keys`` is not a known article key."""
    unknown = [k for k in keys if k not in ARTICLES]
    if unknown:
        raise ValueError(f"{where} cites unknown article key(s) {unknown}; "
                         f"valid keys: {', '.join(ARTICLES)}")
