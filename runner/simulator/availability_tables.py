"""Who can play, as the sources report it, for one season: ESPN team rosters and the NBA injury report
(two reports per game date); conventions as in ``runner.simulator.tables``."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from .calendar import et_to_utc_offset_hours
from .frame import dates, dict_col, num, ts
from .games import ACTIVE, DNP
from .players import POSITIONS
from .season import SeasonGames
from .tables import BUCKET, Ctx, H, M, S, _date_str


def espn_rosters(c: Ctx) -> pa.Table:
    sg, r, L = c.sg, c.sg.rows, c.L
    n = r.pid.size
    g = r.game
    cat = np.asarray(sg.reasons.category + [""], dtype=object)
    rcat = cat[np.where(r.reason >= 0, r.reason, len(cat) - 1)]
    injured = (r.status != ACTIVE) & np.isin(rcat, ["injury", "illness"])
    suspended = (r.status != ACTIVE) & (rcat == "suspension")
    status = np.where(injured, 1, np.where(suspended, 2, 0))
    age = (np.asarray(c.g_date[g], dtype="datetime64[D]") -
           L.P["birth"][r.pid]).astype(np.int64) // 365.25
    processed = c.g_date[g] + 8 * H + 5 * M + (r.team * 11) * S
    espn_codes = np.array([t.espn_code for t in c.teams], dtype=object)
    tg_team = np.where(np.arange(2 * sg.n) % 2 == 0, np.repeat(sg.home, 2), np.repeat(sg.away, 2))
    pv = [f"{BUCKET}/espn/rosters/{d}/{espn_codes[t]}.json"
          for d, t in zip(np.repeat(_date_str(c.g_date), 2), tg_team)]
    paths_code = g * 2 + r.side
    cols = {
        "roster_date": dates(c.g_date[g]),
        "scrape_hour": num(np.full(n, 8)),
        "season_year": num(np.full(n, c.season)),
        "team_abbr": dict_col(r.team, espn_codes),
        "espn_player_id": num(L.P["espn_id"][r.pid]),
        "player_full_name": dict_col(r.pid, c.full),
        "player_lookup": dict_col(r.pid, c.lookup),
        "position": dict_col(L.P["position"][r.pid], POSITIONS),
        "age": num(age.astype(np.int64)),
        "jersey_number": pa.array(L.P["jersey"][r.pid].astype(str).tolist(), pa.string()),
        "status": dict_col(status, ["Active", "Injured", "Suspended"]),
        "roster_status": dict_col(L.two_way[r.pid].astype(np.int64), ["Active", "Two-Way"]),
        "source_file_path": dict_col(paths_code, pv),
        "processed_at": ts(processed),
    }
    return pa.table(cols)


# ----------------------------------------------------------------------------------------------
def injury_report(c: Ctx) -> pa.Table:
    """Two reports (13:00 and 17:00 ET) per game date for the teams playing that day."""
    sg, r = c.sg, c.sg.rows
    rng = c.rng("injury")
    cat = np.asarray(sg.reasons.category + ["injury"], dtype=object)
    texts = np.asarray(sg.reasons.texts, dtype=object)
    rcat = cat[np.where(r.reason >= 0, r.reason, len(cat) - 1)]
    non_active = r.status != ACTIVE
    inj = non_active & np.isin(rcat, ["injury", "illness"])
    listed_out = non_active & (r.reason != sg_reason_id(sg, "Coach's Decision"))
    # actives with a minor complaint: questionable / probable, then they play
    minor = (r.status == ACTIVE) & (rng.random(r.pid.size) < 0.05)
    idx = np.flatnonzero(listed_out | minor)
    reports = []
    u = rng.random((3, idx.size))
    status_vals = ["Out", "Doubtful", "Questionable", "Probable", "Available"]
    minor_reasons = np.asarray(["Injury/Illness - Left Ankle; Soreness", "Injury/Illness - Right Knee; Soreness",
                                "Injury/Illness - Lower Back; Tightness", "Injury/Illness - Illness"], dtype=object)
    for hour in (13, 17):
        st = np.where(minor[idx],
                      np.where(hour == 13, np.where(u[0] < 0.5, 2, 3), np.where(u[0] < 0.3, 3, 4)),
                      np.where(inj[idx] & (r.status[idx] == DNP), 2,
                               np.where(inj[idx] & (u[1] < 0.12) & (hour == 13), 1, 0)))
        reports.append((hour, st))
    rows_idx = np.concatenate([idx, idx])
    hours = np.concatenate([np.full(idx.size, 13), np.full(idx.size, 17)])
    st = np.concatenate([reports[0][1], reports[1][1]])
    n = rows_idx.size
    case = rng.random(n)
    base = np.asarray(status_vals, dtype=object)[st]
    variants = np.concatenate([base, np.char.upper(base.astype(str)).astype(object),
                               np.char.lower(base.astype(str)).astype(object)])
    which = np.where(case < 0.8, 0, np.where(case < 0.9, 1, 2))
    status_col = dict_col(which * n + np.arange(n), variants)
    reason_code = np.where(r.reason[rows_idx] >= 0, r.reason[rows_idx], -1)
    mr = (np.arange(n) * 7 + c.season) % len(minor_reasons)
    reason_vals = np.concatenate([texts, minor_reasons])
    reason_code = np.where(reason_code >= 0, reason_code, len(texts) + mr)
    cat_vals = {"injury": "injury", "illness": "illness", "rest": "rest", "personal": "personal",
                "g_league": "g_league", "suspension": "suspension", "coach_decision": "personal"}
    rc_all = np.concatenate([np.asarray([cat_vals[x] for x in sg.reasons.category], dtype=object),
                             np.asarray(["injury", "injury", "injury", "illness"], dtype=object)])
    g = r.game[rows_idx]
    rep_date = c.g_date[g]
    offs = np.array([et_to_utc_offset_hours(d) for d in sg.date])[g]
    processed = rep_date + hours * H + offs * H + 20 * M
    first, last = np.asarray(c.L.pool.first, dtype=object), np.asarray(c.L.pool.last, dtype=object)
    lf = np.char.add(np.char.add(last.astype(str), ", "), first.astype(str)).astype(object)
    pdf = np.char.add(np.char.add(np.char.add(f"{BUCKET}/nba-com/injury-report-data/",
                                              np.repeat(_date_str(c.g_date), 2)),
                                  np.where(np.arange(2 * sg.n) % 2 == 0, "/01PM/", "/05PM/")), "report.pdf")
    cols = {
        "report_date": dates(rep_date),
        "report_hour": num(hours),
        "game_date": dates(rep_date),
        "game_id": dict_col(g, c.g_std),
        "team": dict_col(r.team[rows_idx], c.abbr),
        "player_name": dict_col(r.pid[rows_idx], lf),
        "player_lookup": dict_col(r.pid[rows_idx], c.lookup),
        "injury_status": status_col,
        "reason": dict_col(reason_code, reason_vals),
        "reason_category": dict_col(reason_code, rc_all),
        "source_file_path": dict_col(g * 2 + (hours == 17), pdf),
        "processed_at": ts(processed),
    }
    return pa.table(cols)


def sg_reason_id(sg: SeasonGames, text: str) -> int:
    try:
        return sg.reasons.texts.index(text)
    except ValueError:
        return -2
