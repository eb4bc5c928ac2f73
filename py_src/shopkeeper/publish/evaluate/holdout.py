"""Offline evaluation of the shelves shoppers are shown, against their peers on one split.

Every method is fitted on the past; then, for every prefix of every future session, the
shopper is on the product page of the prefix's last click and each method names up to 20
products; it is scored on where the actual next click lands (publish.metrics). Test
events naming products the past never saw are dropped first, then sessions left with one
event, as session-rec does.

shopkeeper is scored the way a browser shows it: the model is trained and tuned as
`shopkeeper publish` does (publish.tune on the end of the past, never on the test), goes
through encode_model and decode_model, and each prefix goes through engine.decide_page as
the browser worker calls it (publish.replay), with the placement on the page. A shelf never
shows the product on screen, and with show_viewed = false no product the shopper viewed;
the peers are held to the same exclusions, and `ceiling` says what share of next clicks a
shelf under them can find at all. When the log has purchases, the cart page's
bought-together shelf is measured too: each test order of two or more products with one
hidden, the rest in the cart.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Callable, Iterable

import numpy as np

from shopkeeper.engine.config.site import parse_config
from shopkeeper.engine.recs.shelves import placement_for
from shopkeeper.engine.suggest import did_you_mean
from shopkeeper.model import ModelData, Product
from shopkeeper.publish.errors import InputError
from shopkeeper.publish.evaluate.baselines import CoOccurrence, CoPurchase, ItemKNN, Popularity, SessionKNN
from shopkeeper.publish.evaluate.metrics import METRICS, rank_metrics
from shopkeeper.publish.evaluate.replay import ShelfReplay, cart_page_case, product_page_case
from shopkeeper.publish.progress import counted
from shopkeeper.publish.read.eventlog import PURCHASE, VIEW, EventChunk
from shopkeeper.publish.train.pipeline import TrainParams, model_from_log, next_item_report, next_item_settings
from shopkeeper.publish.train.sessions import SessionLog, known_events, sessionize, time_split

TEST_SHARE = 0.2
LIMIT = 20
PRODUCT_PAGE_SHELF = "viewed-together"          # data-sk-recs="viewed-together": the product page's default
UNSEEN_SHELF = "viewed-together-unseen"         # the same with show_viewed = false
CART_SHELF = "bought-together"                  # data-sk-recs="bought-together" on the cart page
BUILT_IN = [{"name": PRODUCT_PAGE_SHELF, "strategy": "viewed_together", "count": LIMIT},
            {"name": UNSEEN_SHELF, "strategy": "viewed_together", "count": LIMIT, "show_viewed": False}]
PEER_GRID = {"item_knn_full": (0.0, 20.0, 100.0), "session_knn": (100, 200, 500)}
MAX_VALIDATION_PREFIXES = 20_000   # next clicks the peers' knobs are chosen on, at most
MAX_TEST_PAGES = 30_000            # test product pages scored by default (evaluate --max-test-pages)
Events = str | os.PathLike | Iterable[EventChunk]
Session = tuple[list[int], list[float]]   # products and their times (Unix seconds)


def run_evaluation(train_events: Events, test_events: Events | None = None, *, columns: dict | None = None,
                   k: int = 20, cutoff: float | None = None, tune: bool = True, site_config: dict | None = None,
                   placements: Iterable[str] = (), catalog: list[Product] | None = None,
                   max_test_pages: int = MAX_TEST_PAGES, progress: Callable[[str], None] | None = None) -> dict:
    """{shopkeeper, popularity, item_knn_full, session_knn: figures, placements: {name: figures}}.

    The top level is the product page's default shelf and the peers under its exclusions;
    `placements` holds every shelf measured (the two built-in product page shelves, the
    site config's `placements` asked for, and the cart's when the log has purchases).
    Without test_events the log is split by time: sessions ending after `cutoff` (by
    default, the last TEST_SHARE of them) are the test. A test of more than `max_test_pages`
    product pages (0: no limit) is drawn down to about that many, whole sessions evenly.
    """
    say = progress or (lambda message: None)
    say("reading the training events")
    chunks = list(_read(train_events, columns))
    products = list(catalog) if catalog else [Product(i) for i in sorted({p for c in chunks for p in c.product.tolist() if p})]
    ids = [p.id for p in products]
    log, _ = sessionize(chunks, ids)
    if test_events is None:
        past, future = time_split(log, cutoff, TEST_SHARE)
        if not catalog:
            products, past, future = _catalog_of(products, past, future)
            ids = [p.id for p in products]
    else:
        past, future = log, _quiet_sessionize(_read(test_events, columns), ids)
    return evaluate_split(products, past, future, k=k, tune=tune, site_config=site_config, placements=placements,
                          max_test_pages=max_test_pages, progress=say)


def evaluate_split(products: list[Product], past: SessionLog, future: SessionLog, *, k: int = 20, tune: bool = True,
                   site_config: dict | None = None, placements: Iterable[str] = (),
                   max_test_pages: int = MAX_TEST_PAGES, progress: Callable[[str], None] | None = None) -> dict:
    """run_evaluation's figures for a log already read and split: the report reads its log
    once for training, evaluation and replay."""
    say = progress or (lambda message: None)
    ids = [p.id for p in products]
    every_test = known_views(past, future)
    test = evenly_drawn(every_test, max_test_pages) if max_test_pages else every_test
    drawn = f" ({_prefixes(test):,} of them scored: whole sessions drawn evenly)" if test is not every_test else ""
    say(f"{past.n_sessions:,} past sessions, {len(every_test):,} test sessions, {_prefixes(every_test):,} test product pages{drawn}")

    config = {**(site_config or {}), "placements": _with_built_in((site_config or {}).get("placements", []))}
    shelves = [PRODUCT_PAGE_SHELF, UNSEEN_SHELF, *[name for name in placements if name not in (PRODUCT_PAGE_SHELF, UNSEEN_SHELF)]]
    configured = parse_config(config, check_templates=False)
    for name in shelves:
        if placement_for(configured, name, LIMIT) is None:
            known = [placement.name for placement in configured.placements]
            raise InputError("--placement", None, f"no placement named {name!r} in the site config, and it names no "
                                                  f"strategy{did_you_mean(name, known)}")
    params, tuning = next_item_settings(products, past, config, TrainParams(), k=k, tune=tune, progress=say)
    say("training shopkeeper's model on the whole past")
    data, _ = model_from_log(products, past, config, k=k, params=params)
    model, size = publish_round_trip(data)
    replay = ShelfReplay(model)

    peers = PeerSet(past, time_split(past, None, TEST_SHARE), say)
    if peers.validation_drawn[0] < peers.validation_drawn[1]:
        say(f"the peers' knobs are chosen on {peers.validation_drawn[0]:,} of the validation split's "
            f"{peers.validation_drawn[1]:,} next clicks (whole sessions drawn evenly)")
    results: dict[str, dict] = {}
    pages = [(s, t, end) for s, t in test for end in range(1, len(s))]
    for name in shelves:
        placement = placement_for(replay.config, name, LIMIT)
        excludes_viewed = not placement.show_viewed
        ranks = [_rank(replay.ranked(product_page_case([ids[i] for i in s[:end]], t[:end], name, LIMIT)), ids[s[end]])
                 for s, t, end in counted(say, pages, f"{name}: product pages through decide_page", len(pages), "pages")]
        results[name] = {**rank_metrics(ranks), "excludes_viewed": excludes_viewed, "page": "product",
                         "strategy": placement.strategy, "ceiling": ceiling(test, excludes_viewed),
                         "peers": peers.product_page(test, excludes_viewed)}
    orders = test_orders(past, future)
    if orders:
        results[CART_SHELF] = {**cart_figures(replay, orders, ids, say), "excludes_viewed": False, "page": "cart",
                               "strategy": "bought_together", "peers": peers.cart_page(orders)}

    default = results[PRODUCT_PAGE_SHELF]
    split = {"past_events": len(past), "past_sessions": past.n_sessions, "test_sessions": len(test),
             "test_pages": _prefixes(test), "test_pages_in_split": _prefixes(every_test),
             "validation_prefixes": peers.validation_drawn[0], "validation_prefixes_in_split": peers.validation_drawn[1],
             "on_screen_share": _on_screen_share(test)}
    result = {"shopkeeper": {**{key: default[key] for key in (*METRICS, "prefixes", "ceiling")},
                             "placement": PRODUCT_PAGE_SHELF, "model_bytes": size,
                             "scored_through": "decide_page, as the browser worker calls it, on the decoded binary model",
                             "settings": next_item_report(tuning, data.config.get("next_item"), tune)["settings"],
                             "params": model.config.get("next_item") or {}, "tuning": _tuning_report(tuning),
                             "split": split}}
    result.update(default["peers"])
    result["placements"] = results
    return result


def _with_built_in(configured: list) -> list:
    names = {item.get("name") for item in configured if isinstance(item, dict)}
    return [*configured, *[item for item in BUILT_IN if item["name"] not in names]]


def _tuning_report(tuning) -> dict:
    return dataclasses.asdict(tuning) if tuning else {}


def _rank(listed: list[str], target: str) -> int | None:
    return listed.index(target) + 1 if target in listed else None


class PeerSet:
    """The peers, each fitted once on the past, its knob chosen on a validation split of
    the past under the same exclusions as the shelf it is compared with.

    A peer's list for a prefix is computed once and cut both ways (without the product on
    screen; without every viewed product), and session-kNN's grid shares everything but
    the vote, so each peer passes over the cases once per split. The validation split is
    drawn down to MAX_VALIDATION_PREFIXES next clicks (whole sessions, evenly) on large logs.
    """

    def __init__(self, past: SessionLog, fit_and_validation: tuple[SessionLog, SessionLog], say):
        self.say, self.bought = say, past
        self.past, self.fit = (_product_views(log) for log in (past, fit_and_validation[0]))
        validation = known_views(self.fit, fit_and_validation[1])
        self.validation = evenly_drawn(validation, MAX_VALIDATION_PREFIXES)
        self.validation_drawn = (_prefixes(self.validation), _prefixes(validation))
        self.popular = Popularity(self.past)
        self._product_page: dict[int, dict[bool, dict]] = {}
        self._bytes: dict[tuple[str, float], int] = {}

    def product_page(self, test: list[Session], excludes_viewed: bool) -> dict:
        """The peers' figures on these test sessions under one exclusion (both are computed at once)."""
        if id(test) not in self._product_page:
            self._product_page[id(test)] = self._both_exclusions(test)
        return self._product_page[id(test)][excludes_viewed]

    def _both_exclusions(self, test: list[Session]) -> dict[bool, dict]:
        figures: dict[bool, dict] = {False: {}, True: {}}
        popular = rank_both(lambda recent, n: {None: self.popular.recommend(recent, n)}, test, self.say, "popularity: the test")
        for excludes in figures:
            figures[excludes]["popularity"] = {**_metrics(popular, None, excludes), "model_bytes": self.popular.model_bytes}
        for name, knob in (("item_knn_full", "lambda"), ("session_knn", "k")):
            validated = self._grid_ranks(name, knob, self.fit, self.validation, PEER_GRID[name], "validation")
            best = {excludes: max(PEER_GRID[name], key=lambda v: _key(_metrics(validated, v, excludes))) for excludes in figures}
            tested = self._grid_ranks(name, knob, self.past, test, tuple(dict.fromkeys(best.values())), "the test")
            for excludes, value in best.items():
                figures[excludes][name] = {**_metrics(tested, value, excludes), "model_bytes": self._bytes[(name, value)], knob: value}
        return figures

    def _grid_ranks(self, name: str, knob: str, log: SessionLog, sessions: list[Session], values: tuple, split: str) -> dict:
        """{knob value: {excludes_viewed: ranks}} of one peer fitted on `log`: session-kNN once
        for all its values (they differ only in the vote), item-kNN's pair counts once and
        its similarities per value."""
        if name == "session_knn":
            peer = SessionKNN(log, Popularity(log))
            self._bytes.update({(name, value): peer.model_bytes for value in values})
            label = f"{name}: {split} with {knob} = {', '.join(f'{value:g}' for value in values)}"
            return rank_both(lambda recent, n: peer.recommend_grid(recent, values, n), sessions, self.say, label)
        ranks, pairs, popular = {}, CoOccurrence(log), Popularity(log)
        for value in values:
            peer = ItemKNN(pairs, popular, lmbd=value)
            self._bytes[(name, value)] = peer.model_bytes
            ranks.update(rank_both(lambda recent, n, peer=peer, value=value: {value: peer.recommend(recent, n)},
                                   sessions, self.say, f"{name}: {split} with {knob} = {value:g}"))
        return ranks

    def cart_page(self, orders: list[list[int]]) -> dict:
        co = CoPurchase(self.bought)
        buys = Popularity(self.bought.select_events((self.bought.kind == PURCHASE) & (self.bought.item >= 0)))
        return {"co_purchase": cart_metrics(lambda cart: co.recommend(cart, LIMIT), orders),
                "popularity": cart_metrics(lambda cart: [i for i in buys.recommend(cart, LIMIT + len(cart)) if i not in cart][:LIMIT], orders)}


def rank_both(recommend: Callable[[list[int], int], dict], sessions: list[Session],
              progress: Callable[[str], None], label: str) -> dict:
    """{variant: {excludes_viewed: ranks}} over every prefix: `recommend(recent, n)` gives each
    variant's list of n (a peer's list of n + 1 starts with its list of n), long enough to
    be cut without the product on screen (False) and without every viewed product (True)."""
    ranks: dict = {}
    for session, _ in counted(progress, sessions, label, len(sessions), "sessions"):
        for end in range(1, len(session)):
            recent, target = session[:end], session[end]
            viewed = set(recent)
            for variant, listed in recommend(recent, LIMIT + len(viewed)).items():
                by_exclusion = ranks.setdefault(variant, {False: [], True: []})
                for excludes, banned in ((False, (recent[-1],)), (True, viewed)):
                    kept = [i for i in listed if i not in banned][:LIMIT]
                    by_exclusion[excludes].append(kept.index(target) + 1 if target in kept else None)
    return ranks


def evenly_drawn(sessions: list[Session], limit: int) -> list[Session]:
    """Whole sessions drawn evenly until their next clicks number about `limit` (all when fewer)."""
    total = _prefixes(sessions)
    if total <= limit:
        return sessions
    step = total / limit
    drawn, counted_so_far, next_at = [], 0, 0.0
    for session in sessions:
        if counted_so_far >= next_at:
            drawn.append(session)
            next_at += step * (len(session[0]) - 1)
        counted_so_far += len(session[0]) - 1
    return drawn


def _prefixes(sessions: list[Session]) -> int:
    return sum(len(s) - 1 for s, _ in sessions)


def _product_views(log: SessionLog) -> SessionLog:
    """What the peers learn from, as session-rec feeds them: the product views."""
    return log.select_events((log.kind == VIEW) & (log.item >= 0))


def _metrics(ranks: dict, variant, excludes_viewed: bool) -> dict:
    """The METRICS of one variant's ranks under one exclusion (no cases: zeros)."""
    return rank_metrics(ranks.get(variant, {}).get(excludes_viewed, []))


def ceiling(sessions: list[Session], excludes_viewed: bool) -> float:
    """The share of next clicks a shelf under these exclusions could list at all: never the
    product on screen, and with excludes_viewed nothing viewed before."""
    pairs = [(s[:end], s[end]) for s, _ in sessions for end in range(1, len(s))]
    allowed = [target not in recent if excludes_viewed else target != recent[-1] for recent, target in pairs]
    return sum(allowed) / max(len(allowed), 1)


def known_views(past: SessionLog, future: SessionLog) -> list[Session]:
    """The future's product views of products the past saw, by session, at least two long."""
    views = known_events(past, future, VIEW)
    items, times, bounds = views.item.tolist(), views.ts.tolist(), views.starts.tolist()
    return [(items[a:b], times[a:b]) for a, b in zip(bounds[:-1], bounds[1:]) if b - a > 1]


def test_orders(past: SessionLog, future: SessionLog) -> list[list[tuple[int, float]]]:
    """Each test session's purchased products the past knows, (product, time) in order of
    purchase, where there are at least two distinct ones."""
    bought = known_events(past, future, PURCHASE)
    items, times, bounds = bought.item.tolist(), bought.ts.tolist(), bought.starts.tolist()
    orders = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        first: dict[int, float] = {}
        for item, ts in zip(items[a:b], times[a:b]):
            first.setdefault(item, ts)
        if len(first) > 1:
            orders.append(list(first.items()))
    return orders


def cart_figures(replay: ShelfReplay, orders: list[list[tuple[int, float]]], ids: list[str],
                 progress: Callable[[str], None] = lambda message: None) -> dict:
    ranks = []
    label = f"{CART_SHELF}: cart pages through decide_page, one product of each test order hidden"
    for order in counted(progress, orders, label, len(orders), "orders"):
        when = order[-1][1]
        for hidden, _ in order:
            cart = [ids[item] for item, _ in order if item != hidden]
            ranks.append(_rank(replay.ranked(cart_page_case(cart, when, CART_SHELF, LIMIT)), ids[hidden]))
    return rank_metrics(ranks)


def cart_metrics(recommend: Callable[[list[int]], list[int]], orders: list[list[tuple[int, float]]]) -> dict:
    ranks = []
    for order in orders:
        for hidden, _ in order:
            listed = recommend([item for item, _ in order if item != hidden])
            ranks.append(listed.index(hidden) + 1 if hidden in listed else None)
    return rank_metrics(ranks)


def _catalog_of(products: list[Product], past: SessionLog, future: SessionLog):
    """Only the products the past has events of: the catalog a model trained on it would know."""
    seen = np.unique(past.item[past.item >= 0])
    index = np.full(len(products) + 1, -1, dtype=np.int32)
    index[seen] = np.arange(len(seen), dtype=np.int32)
    narrowed = [dataclasses.replace(log, item=index[log.item], n_products=len(seen)) for log in (past, future)]
    return [products[i] for i in seen.tolist()], *narrowed


def publish_round_trip(data: ModelData):
    """(the model as the browser reads it, its size in bytes): the real file, written and read back."""
    from shopkeeper.model import decode_model, encode_model

    blob = encode_model(data)
    return decode_model(blob), len(blob)


def _on_screen_share(sessions: list[Session]) -> float:
    """The share of next clicks that re-open the product on screen: no shelf on its page can list them."""
    pairs = [(a, b) for s, _ in sessions for a, b in zip(s, s[1:])]
    return sum(a == b for a, b in pairs) / max(len(pairs), 1)


def _key(figures: dict) -> tuple[float, float]:
    return figures["hr@20"], figures["mrr@20"]


def _read(source, columns: dict | None) -> Iterable[EventChunk]:
    if isinstance(source, (str, os.PathLike)):
        from shopkeeper.publish.read.events import read_event_log

        return read_event_log(source, columns=columns)
    return source


def _quiet_sessionize(chunks: Iterable[EventChunk], ids: list[str]) -> SessionLog:
    """Test events of products the past never saw are expected, not worth a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sessionize(chunks, ids)[0]


def format_table(result: dict) -> str:
    """The figures as `shopkeeper evaluate` prints them: one block per shelf, its peers
    under the same exclusions beneath it."""
    header = f"{'':<22}" + "".join(f"{m.upper():>9}" for m in METRICS) + f"{'model bytes':>14}  settings"
    lines = []
    for name, figures in result["placements"].items():
        excluded = "viewed products and the one on screen" if figures["excludes_viewed"] else (
            "the cart" if figures["page"] == "cart" else "the product on screen")
        reach = f"; at most {figures['ceiling']:.4f} reachable" if "ceiling" in figures else ""
        split = result["shopkeeper"].get("split", {})
        of = (f" of {split['test_pages_in_split']:,}, drawn evenly" if figures["page"] == "product"
              and split.get("test_pages_in_split", 0) > figures["prefixes"] else "")
        lines += ["", f"{name} ({figures['strategy']}, {figures['page']} page, {figures['prefixes']:,} cases{of}; "
                      f"never shows {excluded}{reach})", header]
        rows = {"shopkeeper": {**figures, "model_bytes": result["shopkeeper"]["model_bytes"]}, **figures["peers"]}
        for method, row in rows.items():
            size = f"{row['model_bytes']:>14,}" if "model_bytes" in row else f"{'':>14}"
            lines.append(f"  {method:<20}" + "".join(f"{row[m]:>9.4f}" for m in METRICS) + size + f"  {_settings_label(method, row, result)}")
    settings = result["shopkeeper"]["settings"]
    params = ", ".join(f"{key} {value:g}" for key, value in sorted(result["shopkeeper"]["params"].items()))
    lines += ["", f"shopkeeper's settings: {settings}" + (f" ({params})" if params else ""),
              "peers' settings: the value of each grid that scored best on a validation split of the past"]
    return "\n".join(lines).lstrip("\n")


def _settings_label(method: str, row: dict, result: dict) -> str:
    """Which settings a row was scored with: shopkeeper's as publish would ship them from the
    same past (tuned on its latest sessions unless --no-tune or the config fixes them), each
    peer's knob as chosen on the validation split."""
    if method == "shopkeeper":
        settings = result["shopkeeper"]["settings"]
        return "tuned on the past, as publish ships it" if settings.startswith("tuned") else settings
    for knob in ("lambda", "k"):
        if knob in row:
            return f"{knob} {row[knob]:g}, chosen on validation"
    return "none"

