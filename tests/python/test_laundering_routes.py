"""Laundering routes (docs/model.md, 7.12a): money changes route when the card
route is frozen, routes soften a shortage of mule cards, a new route is a change of scenario file only, the route
each transfer took is labelled in /transactions, and threads change nothing.

The reference scenario is run at 1:1000 on common seeds; a variant without
`laundering.routes` is the same file with the routes block removed.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import yaml

from fraudsim_analysis import open_run

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"
SEEDS = [1, 2, 3, 4]
SCALE = 1000
# Card freezing from 2021 (fund_interception_2021 freezes 52 % of what reaches
# a first-level card), against the same run without it.
NO_CARD_FREEZING = ["--set", "interventions.fund_interception_2021.enabled=false"]
# Card-breaking that deters nearly every would-be seller from 2021: mule bank
# and phone cards run short.
NO_SELLERS = ["--set", "interventions.card_breaking_2021.seller_deterrence=0.99"]
ROUTE_KEYS = ("route_elasticity", "route_switch_days", "typical_payment_yuan")


def scenario_with_routes(folder: Path, change) -> Path:
    """The reference with its routes changed by `change(routes, laundering)`."""
    document = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    change(document["laundering"]["routes"], document["laundering"])
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def without_routes(routes, laundering):
    del laundering["routes"]
    for key in ROUTE_KEYS:
        laundering.pop(key, None)


def run(scenario: Path, out: Path, seed: int, *extra: str):
    command = [BINARY, "run", str(scenario), "--seed", str(seed), "--set", f"scale={SCALE}", "-o", str(out),
               "--force", *extra]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return open_run(out)


def paid_in_after_2021(r) -> dict[str, float]:
    routes = r.laundering_routes
    later = routes[routes["month"] >= "2021-07-01"]
    return later.groupby("route", observed=True)["paid_in_yuan"].sum().to_dict()


def losses_after_2021(r) -> float:
    return float(r.monthly["losses_yuan"]["2021-07":].sum())


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Losses and money by route from 2021-07, with and without routes, as in the reference, without card
    freezing, and with card sellers deterred."""
    folder = tmp_path_factory.mktemp("routes")
    plain = scenario_with_routes(folder, without_routes)
    out = {}
    for name, scenario in (("routes", REFERENCE), ("no_routes", plain)):
        for variant, extra in (("reference", []), ("no_card_freezing", NO_CARD_FREEZING), ("no_sellers", NO_SELLERS)):
            if name == "no_routes" and variant == "no_card_freezing":
                continue
            for seed in SEEDS:
                r = run(scenario, folder / f"{name}_{variant}_{seed}.h5", seed, *extra)
                out[name, variant, seed] = (losses_after_2021(r), paid_in_after_2021(r))
    return out


def test_freezing_cards_moves_money_to_routes_without_cards(runs):
    def card_free_share(variant):
        return np.array([1 - runs["routes", variant, s][1]["bank_cards"] / sum(runs["routes", variant, s][1].values())
                         for s in SEEDS])
    before, after = card_free_share("no_card_freezing"), card_free_share("reference")
    rise = after - before
    print(f"share of money by routes without a card from 2021-07: {before.mean():.3f} without card freezing, "
          f"{after.mean():.3f} with it")
    assert rise.mean() > 0.05 and rise.mean() > 3 * rise.std(ddof=1) / np.sqrt(len(SEEDS))


def test_routes_soften_what_a_shortage_of_cards_does_to_losses(runs):
    def change(name):
        return np.array([runs[name, "no_sellers", s][0] / runs[name, "reference", s][0] - 1 for s in SEEDS])
    with_routes, without = change("routes"), change("no_routes")
    print(f"losses from 2021-07 with card sellers deterred: {with_routes.mean():+.1%} with routes, "
          f"{without.mean():+.1%} without")
    # Without routes, payments fail for want of a mule card on top of the
    # contacts lost for want of phone cards; with routes they go another way.
    assert without.mean() < 0 and with_routes.mean() < 0
    difference = with_routes - without
    assert difference.mean() > 3 * difference.std(ddof=1) / np.sqrt(len(SEEDS))


def test_a_new_route_is_a_change_of_the_scenario_file_only(tmp_path):
    def add_courier(routes, laundering):
        routes["cash_courier"] = {"entry_hop": "underground_bank", "freeze_probability": 0.0,
                                  "trace_probability": 0.01, "commission_share": 0.05, "delay_days": 2}
    r = run(scenario_with_routes(tmp_path, add_courier), tmp_path / "courier.h5", 1, "--transactions")
    money = paid_in_after_2021(r)
    assert list(r.laundering_routes["route"].cat.categories) == ["bank_cards", "payment_platform", "stablecoin",
                                                                   "cash_courier"]
    assert money["cash_courier"] > 0
    transactions = r.transactions
    courier = transactions[transactions["route"] == "cash_courier"]
    # Its money enters at the underground bank: no card hop ever holds it.
    assert len(courier) > 0 and not courier["source"].isin(["first_level_card", "second_level_card"]).any()


def test_transactions_label_the_route_and_money_adds_up_by_route(tmp_path):
    r = run(REFERENCE, tmp_path / "labelled.h5", 2, "--transactions")
    transactions, routes = r.transactions, r.laundering_routes
    assert set(transactions["route"]) <= set(routes["route"].cat.categories)
    from_victims = transactions[transactions["source"] == "victim"]
    # Every payment is paid in by exactly one route; a payment is one victim row.
    assert from_victims["payment"].is_unique
    assert from_victims.groupby("payment")["route"].nunique().max() == 1
    by_route = routes.groupby("route", observed=True)["payments"].sum()
    counted = from_victims.groupby("route")["payment"].count() * r.meta["scale"]
    assert counted.reindex(by_route.index, fill_value=0).tolist() == by_route.tolist()
    # Each route's money: what it froze, kept and delivered is less than what it took in.
    totals = routes.groupby("route", observed=True)[["paid_in_yuan", "frozen_yuan", "commission_yuan",
                                                     "laundered_yuan"]].sum()
    assert (totals["frozen_yuan"] + totals["commission_yuan"] + totals["laundered_yuan"]
            <= totals["paid_in_yuan"]).all()
    assert int(routes["paid_in_yuan"].sum()) == int(r.monthly["losses_yuan"].sum())


def test_threads_do_not_change_the_routes(tmp_path):
    one = run(REFERENCE, tmp_path / "one.h5", 5, "--threads", "1", "--transactions")
    two = run(REFERENCE, tmp_path / "two.h5", 5, "--threads", "2", "--transactions")
    assert one.laundering_routes.equals(two.laundering_routes)
    assert one.transactions.equals(two.transactions)
