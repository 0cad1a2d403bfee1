"""scripts/compile_lexicons.py: PETRARCH dictionaries -> kg/data/cameo.json (no spaCy model needed).

The dictionary snippets here are invented for the tests, in the sources' formats.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kg.extract.cameo import LexiconError, NounPhrase, build_cameo
from kg.vocab import EventType

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "lexicons"
CHECKED_IN = ROOT / "kg" / "data" / "cameo.json"

_spec = importlib.util.spec_from_file_location("compile_lexicons", ROOT / "scripts" / "compile_lexicons.py")
assert _spec is not None and _spec.loader is not None
cl = importlib.util.module_from_spec(_spec)
sys.modules["compile_lexicons"] = cl
_spec.loader.exec_module(cl)

VERBS = """\
# an invented verb dictionary
####### SYNONYM SETS #######

&VEHICLE
+TRUCK
+ARMORED_CAR
+LORRY_

####### VERB PATTERNS #######

---  STRIKE   [190]  ---
HIT {HITS HITTING}  # irregular forms are dropped
PUMMEL [182]
+KNOCK_OUT {+KNOCKS_OUT}
- * {TRAINING FLIGHT}                      [---]     # HIT
- * &VEHICLE (WITH +)                      [183]     # HIT
- $ * +                                    [190:191] # HIT
- * NOT TARGET                             [110]     # HIT
- * WHEN A TRUCK CRASHED                   [---]     # HIT
- * DOWN FENCE                             [171]     # HIT
- * BACK                                   [080]     # HIT
- * (ON +)                                 [193]     # HIT
- * (BY/WITH PEBBLES)                      [182]     # HIT
- {ROCKET FIRE} *                          [194]     # HIT
- * PLAN (FOR VIOLAT TREATY)               [112]     # HIT
- * INTO +                                 [192]     # HIT

---  TALK   [040:040]  ---
CONFER
HIT [043]
- * (TO)                                   [041]     # CONFER
- * REPORTERS                              [:010]    # CONFER

######## TRANSFORMATIONS ##########
~ a b c = a b 010
"""

PLOVER = """\
# an invented CAMEO-to-PLOVER table
18: ASSAULT
180: ASSAULT, ,    # Use unconventional violence
1712: ASSAULT, seize, human_security  # Destroy property
091: ACCUSE, investigate, crime; corruption # Investigate crime
~~~~~
"""

AGENTS = """\
# invented agents
!PERSON! = MAN, WOMAN
!MINIST! = MINISTER, MINISTRY

CLERK [~GOV]
FERRY!PERSON! [~BUS]
TRADE_!MINIST! [~GOVBUS]
HARBOR_AUTHORIT [~GOV]
SHEEPMAN {SHEEPMEN} [~AGR]
TRUCE_MONITOR [IGO~]
CLERK [~JUD]
BROKEN_LINE [~ENV}
NO_CODE_HERE
"""


def _inline_np(np: list[Any] | None, synsets: dict[str, list[str]]) -> list[list[str]] | None:
    return None if np is None else [synsets[a[1:]] if isinstance(a, str) else a for a in np]


def _inline(tables: dict[str, Any]) -> dict[str, Any]:
    """The verb tables in the old schema: every verb with all its frames written out, synonym sets expanded."""
    synsets = tables["synsets"]

    def frame(f: dict[str, Any]) -> dict[str, Any]:
        preps = [{"prep": p["prep"], "np": _inline_np(p["np"], synsets)} for p in f["preps"]]
        subject, obj = _inline_np(f["subject"], synsets), _inline_np(f["object"], synsets)
        return {**f, "subject": subject, "object": obj, "preps": preps}

    verbs = {}
    for key, v in tables["verbs"].items():
        frames = v["frames"] + [f for b in v["blocks"] for f in tables["blocks"][b]]
        verbs[key] = {**v, "blocks": [], "frames": [frame(f) for f in frames]}
    return {**tables, "verbs": verbs, "blocks": {}, "synsets": {}}


def _frames(tables: dict[str, Any], key: str, **match: Any) -> list[dict[str, Any]]:
    """A verb's frames in order, written out, those with the ``match`` values."""
    return [f for f in _inline(tables)["verbs"][key]["frames"] if all(f[k] == v for k, v in match.items())]


@pytest.fixture(scope="module")
def compiled() -> tuple[dict[str, Any], dict[str, Any]]:
    return cl.compile_verbs(VERBS, stems=frozenset({"violat"}))


def test_block_default_and_own_codes(compiled):
    tables, _ = compiled
    verbs = tables["verbs"]
    assert verbs["pummel"]["code"] == "182"
    assert verbs["knock out"]["code"] == "190"
    assert "hits" not in verbs and "knocks out" not in verbs
    # a block's patterns belong to every verb of the block, whatever its comment names: listed once, in the block
    assert verbs["pummel"]["blocks"] == verbs["knock out"]["blocks"] == ["STRIKE"] and verbs["pummel"]["frames"] == []
    assert _frames(tables, "pummel") == _frames(tables, "hit")[: len(_frames(tables, "pummel"))]
    assert _frames(tables, "knock out", code=None, object=[["training"], ["flight"]])


def test_verb_in_two_blocks_keeps_first_code_and_unites_frames(compiled):
    tables, stats = compiled
    assert tables["verbs"]["hit"]["code"] == "190" and tables["verbs"]["hit"]["blocks"] == ["STRIKE", "TALK"]
    assert stats["code_conflicts"] == 1 and stats["code_conflict_list"][0].startswith("hit: kept 190, dropped 043")
    assert _frames(tables, "hit", code="041", preps=[{"prep": "to", "np": None}])
    assert _frames(tables, "hit", code="183")


def test_frame_in_two_blocks_of_a_verb_is_kept_once():
    text = VERBS.replace("CONFER\n", "CONFER\nPUMMEL\n- * NOT TARGET [110]\n")
    tables, stats = cl.compile_verbs(text)
    # PUMMEL's blocks would give 'NOT TARGET' twice: its frames are written out, each once, in block order
    pummel = tables["verbs"]["pummel"]
    assert pummel["blocks"] == [] and stats["verbs_with_block_frames_written_out"] == 2  # pummel and hit
    assert [f["code"] for f in pummel["frames"]].count("110") == 1
    assert pummel["frames"] == tables["blocks"]["STRIKE"] + [f for f in tables["blocks"]["TALK"] if f["code"] != "110"]
    assert tables["verbs"]["confer"]["blocks"] == ["TALK"]


def test_reverse_codes(compiled):
    tables, _ = compiled
    verbs = tables["verbs"]
    assert verbs["confer"]["code"] == "040" and verbs["confer"]["reverse"] == "040"
    assert verbs["pummel"]["reverse"] is None
    (both,) = _frames(tables, "hit", code="190")
    assert both == {
        "code": "190", "reverse": "191", "subject": None, "object": None, "preps": [],
        "source": "subject", "target": "object", "negated": False, "verb": "hit",
    }
    (only_reverse,) = _frames(tables, "confer", object=[["reporters"]])
    assert only_reverse["code"] is None and only_reverse["reverse"] == "010"


def test_suppressing_pattern_and_phrase(compiled):
    tables, _ = compiled
    (frame,) = _frames(tables, "hit", object=[["training"], ["flight"]])
    assert frame["code"] is None and frame["reverse"] is None


def test_synset_preposition_and_target(compiled):
    tables, _ = compiled
    assert tables["synsets"] == {"VEHICLE": ["truck", "armored car", "lorry"]}
    (written,) = [f for f in tables["blocks"]["STRIKE"] if f["code"] == "183"]
    assert written["object"] == ["&VEHICLE"]  # a reference, the words once in 'synsets'
    (frame,) = _frames(tables, "hit", code="183")
    assert frame["object"] == [["truck", "armored car", "lorry"]]
    assert frame["preps"] == [{"prep": "with", "np": None}]
    assert frame["target"] == "prep:with" and frame["source"] is None
    (on,) = _frames(tables, "hit", code="193")
    assert on["preps"] == [{"prep": "on", "np": None}] and on["target"] == "prep:on"
    (unbracketed,) = _frames(tables, "hit", code="192")
    assert unbracketed["preps"] == [{"prep": "into", "np": None}] and unbracketed["target"] == "prep:into"


def test_subject_negation_stems_and_alternative_prepositions(compiled):
    tables, _ = compiled
    (subject,) = _frames(tables, "hit", code="194")
    assert subject["subject"] == [["rocket"], ["fire"]] and subject["object"] is None
    (negated,) = _frames(tables, "hit", code="110")
    assert negated["negated"] is True and negated["object"] == [["target"]]
    (stem,) = _frames(tables, "hit", code="112")
    assert stem["preps"] == [{"prep": "for", "np": [["violat*"], ["treaty"]]}]
    by_with = _frames(tables, "hit", code="182")
    assert [f["preps"] for f in by_with] == [[{"prep": "by", "np": [["pebbles"]]}], [{"prep": "with", "np": [["pebbles"]]}]]


def test_particle_makes_a_phrasal_verb(compiled):
    tables, stats = compiled
    verbs = tables["verbs"]
    assert verbs["hit down"]["code"] == "190"  # the verb's own default
    assert verbs["hit down"]["blocks"] == []  # the frame is its own, in no block
    assert verbs["hit down"]["frames"][0]["object"] == [["fence"]] and verbs["hit down"]["frames"][0]["code"] == "171"
    # a bare particle is the phrasal verb's code
    assert verbs["hit back"] == {"code": "080", "reverse": None, "blocks": [], "frames": []}
    assert not _frames(tables, "hit", object=[["fence"]])
    assert stats["phrasal_verbs_from_patterns"] == 4  # hit, pummel x down, back; not the phrasal "knock out"


def test_clause_pattern_is_skipped_and_counted(compiled):
    tables, stats = compiled
    assert stats["patterns"] == 14
    assert stats["patterns_skipped"] == 1 and stats["patterns_translated"] == 13
    assert stats["skipped_reasons"] == {"clause (subordinating word)": 1}
    assert stats["skipped_examples"] == ["- * WHEN A TRUCK CRASHED [---]"]
    assert not any("truck" in json.dumps(f) and f["code"] is None for f in _frames(tables, "hit"))


@pytest.mark.parametrize(
    "line, reason",
    [
        ("- * SHARPLY [111]", "adverb"),
        ("- WILL * [036]", "clause (auxiliary verb)"),
        ("- * (ASIDE QUARREL) [050]", "bracket not opened by a preposition"),
        ("- * (IN HALL) + [042]", "words after a prepositional phrase"),
        ("- * &NOSUCHSET [190]", "unknown synonym set"),
        ("- * EACH OTHER [018]", "no noun (determiner or pronoun)"),
        ("- * (ON ^) ^)[111]", "unbalanced brackets"),
        ("- * BRIDGE [19x]", "unknown code [19x]"),
        ("- *DOWNCAST [012]", "verb marker inside a word"),
        ("- $ * (WITH $) [040]", "two sources or two targets"),
        ("- * {BOATS AND PLANES} [072]", "coordination"),
    ],
)
def test_untranslatable_patterns(line, reason):
    with pytest.raises(cl.Untranslatable, match=re.escape(reason)):
        cl.translate(line, cl.Vocabulary({}))


def test_inflected_and_coordinated_verbs_are_skipped():
    text = VERBS.replace("PUMMEL [182]\n", "PUMMEL [182]\nPUMMELLING\n+HIT_AND_RUN\n+PUMMELED_BY\n")
    tables, stats = cl.compile_verbs(text)
    assert not {"pummelling", "hit and run", "pummeled by"} & set(tables["verbs"])
    assert stats["verbs_skipped"] == [
        "PUMMELLING (inflected form)", "+HIT_AND_RUN (coordination of verbs)", "+PUMMELED_BY (inflected form)",
    ]


def test_plover_table():
    table, problems = cl.read_plover(PLOVER)
    assert table == {
        "180": {"type": "ASSAULT", "mode": "", "context": ""},
        "1712": {"type": "ASSAULT", "mode": "seize", "context": "human_security"},
        "091": {"type": "ACCUSE", "mode": "investigate", "context": "crime; corruption"},
    }
    assert problems == []
    table, problems = cl.read_plover(PLOVER + "180: COERCE, , \n")
    assert table["180"]["type"] == "ASSAULT" and len(problems) == 1


def test_agents_with_substitution_sets():
    agents, bad = cl.read_agents(AGENTS, frozenset({"authorit"}))
    assert agents == {
        "clerk": ["GOV", "JUD"],
        "ferryman": ["BUS"],
        "ferrywoman": ["BUS"],
        "trade minister": ["GOV", "BUS"],
        "trade ministry": ["GOV", "BUS"],
        "harbor authorit*": ["GOV"],
        "sheepman": ["AGR"],
        "sheepmen": ["AGR"],
        "truce monitor": ["IGO"],
    }
    assert bad == ["BROKEN_LINE [~ENV}", "NO_CODE_HERE"]


def _sources(tmp_path: Path, supplement: dict[str, Any]) -> tuple[Path, Path]:
    src = tmp_path / "lexicons"
    src.mkdir()
    (src / cl.VERBS_FILE).write_text(VERBS, encoding="utf-8")
    (src / cl.PLOVER_FILE).write_text(PLOVER, encoding="utf-8")
    (src / cl.AGENTS_FILE).write_text(AGENTS, encoding="utf-8")
    path = tmp_path / "supplement.json"
    path.write_text(json.dumps(supplement), encoding="utf-8")
    return src, path


SUPPLEMENT = {
    "plover": {"020": {"type": "REQUEST", "mode": "", "context": ""}},
    "verbs": {"thump": {"block": "STRIKE", "code": "180"}},
    "agents": {"harbor official": ["GOV"]},
    "codes": {"pummel": "182"},
    "stems": ["violat"],
    "pattern_verbs": [],
    "patterns": {"STRIKE": ["- * CONVOY                                            [195]         # HIT"]},
    "recoded": {"1712": {"type": "COERCE", "mode": "seize", "context": "human_security"}},
    "block_codes": {"STRIKE": {"193": "190"}},
}


def test_whole_compilation_merges_the_supplement(tmp_path):
    src, supplement = _sources(tmp_path, SUPPLEMENT)
    data = cl.compile_lexicons(src, supplement)
    assert data["plover"]["020"] == {"type": "REQUEST", "mode": "", "context": ""}
    assert data["hand_written"] == {
        "plover": ["020"], "verbs": ["thump"], "agents": ["harbor official"], "codes": ["pummel"], "patterns": ["STRIKE"],
        "recoded": ["1712"], "block_codes": ["STRIKE"],
    }
    # a row of the table typed anew (the PLOVER codebook over the table), the rest of the table as it was
    assert data["plover"]["1712"] == {"type": "COERCE", "mode": "seize", "context": "human_security"}
    assert data["plover"]["180"]["type"] == "ASSAULT"
    # a block's code written anew in its patterns: 'hit on X' was 193, is 190; its other codes stay
    codes = {f["code"] for f in data["blocks"]["STRIKE"]}
    assert "193" not in codes and {"190", "183", "195"} <= codes
    # a hand-written pattern joins its block: every verb of the block gets the frame
    assert any(f["code"] == "195" and f["object"] == [["convoy"]] for f in data["blocks"]["STRIKE"])
    assert data["verbs"]["thump"]["code"] == "180"
    assert data["verbs"]["pummel"]["code"] == "182"  # the override; its block's frames stay
    assert _frames(data, "thump") == _frames(data, "pummel")
    assert data["agents"]["clerk"] == ["GOV", "JUD"] and data["agents"]["harbor official"] == ["GOV"]
    assert set(data) == {"_doc", "hand_written", "plover", "synsets", "blocks", "verbs", "agents", "stats"}
    # 190 and others have no row in this small table; 01x codes are statements, never reported
    assert "190" in data["stats"]["codes_without_plover"] and "010" not in data["stats"]["codes_without_plover"]
    text = cl.dumps(data)
    assert cl.dumps(cl.compile_lexicons(src, supplement)) == text
    assert json.loads(text) == data and '\n"verbs":{\n"confer":{' in text  # one line per verb


@pytest.mark.parametrize(
    "change, message",
    [
        ({"plover": {"180": {"type": "ASSAULT", "mode": "", "context": ""}}}, "already in"),
        ({"verbs": {"hit": {"block": "STRIKE", "code": "180"}}}, "already in"),
        ({"verbs": {"thump": {"block": "NOSUCH", "code": "180"}}}, "no block"),
        ({"stems": "violat"}, "lists"),
        ({"agents": {"clerk": ["GOV"]}}, "already in"),
        ({"agents": {"Harbor  Official": ["GOV"]}}, "bad agent entry"),
        ({"agents": {"harbor official": ["gov"]}}, "bad agent entry"),
        ({"recoded": {"0999": {"type": "ASSAULT", "mode": "", "context": ""}}}, "not in"),
        ({"recoded": {"180": {"type": "ASSAULT", "mode": "", "context": ""}}}, "same there"),
        ({"block_codes": {"NOSUCH": {"190": "180"}}}, "no block"),
        ({"block_codes": {"STRIKE": {"1234": "180"}}}, "uses none"),
        ({"block_codes": {"STRIKE": {"190": "x"}}}, "bad block_codes"),
    ],
)
def test_bad_supplement_is_refused(tmp_path, change, message):
    src, supplement = _sources(tmp_path, {**SUPPLEMENT, **change})
    with pytest.raises(cl.LexiconSourceError, match=message):
        cl.compile_lexicons(src, supplement)


def test_cli_missing_sources_one_line_error_and_nothing_written(tmp_path, capsys):
    out = tmp_path / "cameo.json"
    assert cl.main([str(tmp_path / "nowhere"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read" in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/lexicons is not here")
def test_checked_in_file_is_up_to_date():
    first = cl.dumps(cl.compile_lexicons(SOURCES))
    assert first == CHECKED_IN.read_text(encoding="utf-8"), (
        "kg/data/cameo.json is stale: run python scripts/compile_lexicons.py ../shared/lexicons"
    )
    assert cl.dumps(cl.compile_lexicons(SOURCES)) == first


def _nps(frame: dict[str, Any]) -> list[Any]:
    return [frame["subject"], frame["object"]] + [p["np"] for p in frame["preps"]]


def test_checked_in_file_is_sane():
    data = json.loads(CHECKED_IN.read_text(encoding="utf-8"))
    plover = data["plover"]
    assert all(EventType(e["type"]) and set(e) == {"type", "mode", "context"} for e in plover.values())
    codes = set()
    for key, verb in data["verbs"].items():
        assert key == key.lower() and key == " ".join(key.split())
        assert set(verb) == {"code", "reverse", "blocks", "frames"} and all(b in data["blocks"] for b in verb["blocks"])
        codes |= {verb["code"], verb["reverse"]}
    assert {b for v in data["verbs"].values() for b in v["blocks"]} == set(data["blocks"])  # no block unused
    refs = set()
    frames = [f for v in data["verbs"].values() for f in v["frames"]] + [f for b in data["blocks"].values() for f in b]
    for frame in frames:
        codes |= {frame["code"], frame["reverse"]}
        for np in _nps(frame):
            assert np is None or (np and all(alternatives for alternatives in np))
            refs |= {a[1:] for a in np or () if isinstance(a, str)}
        for slot in (frame["source"], frame["target"]):
            assert slot in (None, "subject", "object") or slot[5:] in [p["prep"] for p in frame["preps"]]
    assert refs == set(data["synsets"]) and all(data["synsets"].values())  # every set used, none unknown or empty
    codes.discard(None)

    def mapped(code: str) -> bool:  # the loader falls back to the parent code: 1952 -> 195
        return any(code[:n] in plover for n in range(len(code), 2, -1))

    unmapped = sorted(c for c in codes if not mapped(c) and not c.startswith("01"))
    assert unmapped == []
    no_exact_entry = sorted(c for c in codes if c not in plover and not c.startswith("01"))
    assert no_exact_entry == data["stats"]["codes_without_plover"]
    assert len(no_exact_entry) <= 1, f"codes with no PLOVER entry of their own: {no_exact_entry}"
    appeals = [c for c in data["hand_written"]["plover"] if c.startswith("02")]
    assert appeals and all(EventType(plover[c]["type"]) is EventType.REQUEST for c in appeals)
    assert data["agents"]["militant"] == ["UAF"] and data["agents"]["spokesman"] == ["MED"]  # the source's, kept
    assert data["agents"]["official"] == ["GOV"] and "official" in data["hand_written"]["agents"]
    assert CHECKED_IN.stat().st_size < 1_500_000


# Verbs whose frames come from blocks, two blocks sharing a frame ('abandon'), the supplement ('urge')
# and a phrasal verb's own frames ('put down').
SAMPLE_VERBS = ("kill", "strike", "demand", "urge", "visit", "meet", "put down", "abandon")


def test_blocks_load_as_the_frames_written_out():
    """Shared blocks and synonym-set references give each verb exactly its frames written out in full."""
    data = json.loads(CHECKED_IN.read_text(encoding="utf-8"))
    verbs, _, _ = build_cameo(data)
    tables = {"plover": {}, "agents": {}, **{k: data[k] for k in ("synsets", "blocks")}}
    tables["verbs"] = {k: data["verbs"][k] for k in SAMPLE_VERBS}
    inline, _, _ = build_cameo(_inline(tables))
    assert inline == {k: verbs[k] for k in SAMPLE_VERBS}
    assert all(verbs[k].frames for k in SAMPLE_VERBS)
    # a frame naming no noun holds for the verb its pattern was written for, not its whole block
    assert {f.verb for f in verbs["demand"].frames if not (f.subject or f.object or any(n for _, n in f.preps))} <= {
        None, *(verb for verb in data["verbs"] if data["verbs"][verb].get("blocks") == data["verbs"]["demand"]["blocks"])
    }


def test_loader_shares_blocks_and_synsets(tmp_path):
    src, supplement = _sources(tmp_path, SUPPLEMENT)
    data = cl.compile_lexicons(src, supplement)
    verbs, _, agents = build_cameo(data)
    assert verbs == build_cameo(_inline(data))[0]
    assert verbs["hit"].frames[0] is verbs["pummel"].frames[0] is verbs["thump"].frames[0]
    (vehicle,) = [f for f in verbs["hit"].frames if f.code == "183"]
    assert vehicle.object == NounPhrase(frozenset({"truck", "armored car", "lorry"}))
    assert agents["harbor official"] == ("GOV",)


@pytest.mark.parametrize(
    "table, name, message",
    [("synsets", "VEHICLE", "unknown synonym set '&VEHICLE'"), ("blocks", "STRIKE", "unknown block 'STRIKE'")],
)
def test_unknown_reference_fails_at_load_naming_it(tmp_path, table, name, message):
    src, supplement = _sources(tmp_path, SUPPLEMENT)
    data = cl.compile_lexicons(src, supplement)
    del data[table][name]
    with pytest.raises(LexiconError, match=re.escape(message)):
        build_cameo(data)


def test_checked_in_file_loads_fast():
    # CPU time of this process: the figure does not depend on what else the machine runs.
    start = time.process_time()
    verbs, _, _ = build_cameo(json.loads(CHECKED_IN.read_text(encoding="utf-8")))
    elapsed = time.process_time() - start
    assert verbs["kill"].frames
    assert elapsed < 0.5, f"kg/data/cameo.json took {elapsed:.2f} s to read and build"
