"""The two play-by-play raw tables of one season (bigdataball_play_by_play, nbac_play_by_play), from
the simulated events (``runner.simulator.pbp``); conventions as in ``runner.simulator.tables``."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from .frame import const_str, dates, dict_col, nullable_float, num, ts
from .pbp import NBAC_ACTION, SUBTYPES
from .season import ALL_STAR
from .tables import BUCKET, Ctx, D, H, M, S, _date_str


def play_by_play(c: Ctx) -> tuple[pa.Table, pa.Table]:
    """(bigdataball_play_by_play, nbac_play_by_play)."""
    sg, ev, r = c.sg, c.ev, c.sg.rows
    rng = c.rng("pbp")
    bdb_game = (rng.random(sg.n) < 0.94) & (sg.kind != ALL_STAR)  # BigDataBall has no All-Star game
    prefix_game = (c.g_date >= np.datetime64("2024-10-01")) & (rng.random(sg.n) < 0.35)
    e_bdb = bdb_game[ev.game]
    subtypes = np.asarray(SUBTYPES, dtype=object)

    # BigDataBall
    i = np.flatnonzero(e_bdb)
    g = ev.game[i]
    pid1 = r.pid[ev.row[i]]
    pref = prefix_game[g]
    npid = len(c.lookup)
    prefixed = np.char.add(c.L.P["nba_id"].astype(str), c.lookup.astype(str)).astype(object)
    p1_code = np.where(pref, pid1 + npid, pid1)
    row2 = ev.row2[i]
    has2 = row2 >= 0
    r2 = np.clip(row2, 0, None)
    role_vals = np.array(["", "assist", "block"], dtype=object)
    processed = c.g_date[g] + D + 10 * H + c.g_jit[g] * S
    paths = np.char.add(np.char.add(f"{BUCKET}/big-data-ball/", np.char.add(str(c.season), "/")),
                        np.char.add(np.char.replace(c.g_std.astype(str), "_", "-"), ".csv"))
    bdb = pa.table({
        "game_id": dict_col(g, c.g_std),
        "game_date": dates(c.g_date[g]),
        "season_year": num(np.full(i.size, c.season)),
        "event_id": num(ev.event_id[i]),
        "period": num(ev.period[i]),
        "event_type": dict_col(ev.is_ft[i].astype(np.int64), ["shot", "free throw"]),
        "event_subtype": dict_col(ev.subtype[i], subtypes),
        "shot_made": num(ev.made[i]),
        "shot_type": dict_col(np.where(ev.is_ft[i], -1, ev.three[i].astype(np.int64)), ["2PT", "3PT"]),
        "shot_distance": nullable_float(ev.distance[i]),
        "player_1_lookup": dict_col(p1_code, np.concatenate([c.lookup, prefixed])),
        "player_1_team_abbr": dict_col(r.team[ev.row[i]], c.abbr),
        "player_2_role": dict_col(np.where(has2, ev.role2[i], -1), role_vals),
        "player_2_lookup": dict_col(np.where(has2, r.pid[r2], -1), c.lookup),
        "player_2_team_abbr": dict_col(np.where(has2, r.team[r2], -1), c.abbr),
        "home_team_abbr": dict_col(sg.home[g], c.abbr),
        "away_team_abbr": dict_col(sg.away[g], c.abbr),
        "data_source": const_str("bigdataball", i.size),
        "source_file_path": dict_col(g, paths),
        "processed_at": ts(processed),
    })

    # NBA.com
    j = np.flatnonzero(~e_bdb)
    g = ev.game[j]
    clock = ev.clock[j]
    mm = (clock // 60).astype(np.int64)
    ss = clock - mm * 60
    clock_str = np.char.add(np.char.add(np.char.add("PT", np.char.zfill(mm.astype(str), 2)), "M"),
                            np.char.add(np.char.zfill(np.char.mod("%.2f", ss), 5), "S"))
    action_vals = np.asarray([NBAC_ACTION[s] for s in SUBTYPES], dtype=object)
    processed = c.g_date[g] + D + 4 * H + 30 * M + c.g_jit[g] * S
    paths = np.char.add(np.char.add(f"{BUCKET}/nba-com/play-by-play/", _date_str(c.g_date)),
                        np.char.add("/", np.char.add(np.asarray(sg.nba_game_id).astype(str), ".json")))
    nbac = pa.table({
        "game_id": dict_col(g, c.g_std),
        "nba_game_id": dict_col(g, sg.nba_game_id),
        "game_date": dates(c.g_date[g]),
        "season_year": num(np.full(j.size, c.season)),
        "event_id": num(ev.event_id[j]),
        "period": num(ev.period[j]),
        "game_clock": pa.array(clock_str.tolist(), pa.string()),
        "event_type": dict_col(ev.is_ft[j].astype(np.int64), ["fieldgoal", "freethrow"]),
        "event_action_type": dict_col(ev.subtype[j], action_vals),
        "shot_made": num(ev.made[j]),
        "shot_type": dict_col(np.where(ev.is_ft[j], -1, ev.three[j].astype(np.int64)), ["2PT", "3PT"]),
        "shot_distance": nullable_float(ev.distance[j]),
        "shot_x": nullable_float(ev.x[j]),
        "shot_y": nullable_float(ev.y[j]),
        "player_1_lookup": dict_col(r.pid[ev.row[j]], c.lookup),
        "player_1_team_abbr": dict_col(r.team[ev.row[j]], c.abbr),
        "score_home": num(ev.score_home[j]),
        "score_away": num(ev.score_away[j]),
        "source_file_path": dict_col(g, paths),
        "processed_at": ts(processed),
    })
    return bdb, nbac
