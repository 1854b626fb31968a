"""The map screen: labels never collide or leave their frame, the legend lists only what is drawn, crowded
places get an inset, the static drawing is cached, at every size and text size, for every bundled
scenario and the atlas fixture."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pygame
import pytest

from conftest import ATLAS, Driver, make_app
from negotiation.resources import bundled_scenarios
from negotiation.scenario.loader import load_file
from negotiation.ui import mapview
from negotiation.ui.geo import Conic, View, clip_ring, inside, load_world
from negotiation.ui.labels import LabelRequest, Placer, rect_distance
from negotiation.ui.mapview import MapLayout, MapScreen
from negotiation.ui.settings import Settings

SCENARIOS = {"atlas": ATLAS, **{k: bundled_scenarios()[k] for k in ("moscow1945", "moscow1950", "tutorial")}}
SIZES = [((800, 560), "medium"), ((1280, 720), "medium"), ((800, 560), "large"), ((1280, 720), "large"),
         ((1920, 1080), "medium")]


def open_map(path: Path, size: tuple[int, int], text_size: str = "medium") -> Driver:
    """A game of the scenario at its first decision, on the map screen."""
    if text_size != "medium":
        s = Settings()
        s.text_size = text_size
        s.save()
    d = Driver(make_app(path, size=size))
    d.key(pygame.K_n)
    for _ in range(3):
        if d.screen != "table":
            d.key(pygame.K_ESCAPE)
    assert d.screen == "table"
    d.key(pygame.K_m)
    assert d.screen == "map"
    return d


def layout_of(d: Driver) -> MapLayout:
    screen = d.app.top
    assert isinstance(screen, MapScreen) and screen.layout is not None
    return screen.layout


@pytest.mark.parametrize(("size", "text_size"), SIZES, ids=[f"{w}x{h}-{t}" for (w, h), t in SIZES])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_map_labels_and_legend(name: str, size: tuple[int, int], text_size: str) -> None:
    """No two labels overlap; none leaves its frame (map or inset); every text stays in its box and the
    window; every legend entry stands for something drawn, and fits the legend."""
    d = open_map(SCENARIOS[name], size, text_size)
    try:
        lay = layout_of(d)
        win = d.app.surface.get_rect()
        for t in d.app.frame_texts:
            assert t.box.contains(t.rect) or t.clipped, f"{t.text!r} at {t.rect} is outside its box {t.box}"
            assert win.contains(t.rect), f"{t.text!r} leaves the window"
        for a, b in itertools.combinations(lay.labels, 2):
            assert not a.rect.colliderect(b.rect), f"{a.text!r} {a.rect} overlaps {b.text!r} {b.rect}"
        for lab in lay.labels:
            assert lab.frame.contains(lab.rect), f"{lab.text!r} {lab.rect} is clipped by its frame {lab.frame}"
            if lab.kind in ("place", "region", "pointer"):
                assert lay.frame.contains(lab.rect)
                assert lay.inset is None or not lab.rect.colliderect(lay.inset), f"{lab.text!r} is on the inset"
        drawn_texts = {t.text for t in d.app.frame_texts}
        assert all(lab.text.split("\n")[0] in drawn_texts for lab in lay.labels)
        assert lay.legend, "no legend"
        m = d.app.loaded.scenario.map  # type: ignore[union-attr]
        assert m is not None
        for entry in lay.legend:
            assert lay.legend_rect.contains(entry.rect), f"legend entry {entry.kind} {entry.ref} is cut"
            if entry.kind == "article":
                assert entry.ref in lay.articles
                shapes = {s.id for s in m.shapes if s.article == entry.ref}
                places = {p.id for p in m.places if p.article == entry.ref}
                shown = set().union(*lay.drawn.values()) | set(lay.inset_places)
                assert shapes & shown or places & shown, f"{entry.ref} is in the legend but not on the map"
            elif entry.kind in ("railway", "frontier", "arrow", "hatched"):
                assert lay.drawn.get(entry.kind), f"{entry.kind} is in the legend but not drawn"
        kinds = {e.kind for e in lay.legend}
        for kind in ("railway", "frontier", "arrow", "hatched"):
            assert (kind in kinds) == bool(lay.drawn.get(kind)), f"{kind}: legend and map disagree"
    finally:
        pygame.quit()
        Settings().save()


def test_inset_for_port_arthur_and_dairen() -> None:
    """Port Arthur and Dairen, 32 km apart, crowd at full scale: they are named in an enlarged inset
    (found by crowding of article places, not by their ids)."""
    d = open_map(SCENARIOS["moscow1945"], (1280, 720))
    try:
        lay = layout_of(d)
        assert lay.inset is not None and lay.frame.contains(lay.inset)
        assert {"port_arthur", "dairen"} <= set(lay.inset_places)
        assert not {"port_arthur", "dairen"} & {lab.key for lab in lay.labels if lab.kind == "place"}
        d.assert_shows("Port Arthur 旅順", "Dairen 大連", "Harbin 哈爾濱")
    finally:
        pygame.quit()


def test_tutorial_draws_its_railway_and_no_inset() -> None:
    """The tutorial's railway is drawn (so the legend may list it); no places crowd, so no inset."""
    d = open_map(SCENARIOS["tutorial"], (800, 560))
    try:
        lay = layout_of(d)
        assert lay.drawn.get("railway") == {"railway_line"}
        assert "railway" in {e.kind for e in lay.legend}
        assert lay.inset is None
    finally:
        pygame.quit()


def test_places_beyond_the_frame_are_pointers() -> None:
    """Chungking lies south of the 1945 map: a pointer at the edge names it and its distance."""
    d = open_map(SCENARIOS["moscow1945"], (1280, 720))
    try:
        lay = layout_of(d)
        assert "chungking" in lay.drawn.get("pointer", set())
        label = next(lab for lab in lay.labels if lab.key == "chungking")
        assert label.text.startswith("Chungking") and label.text.endswith(" km")
    finally:
        pygame.quit()


def test_static_layers_are_cached() -> None:
    """A frame of the map blits the cached drawing; it is drawn again only when the draft or size changes."""
    d = open_map(SCENARIOS["atlas"], (1280, 720))
    calls: list[int] = []
    render = MapScreen.render

    def counting(self: MapScreen, *a: object, **k: object) -> object:
        calls.append(1)
        return render(self, *a, **k)  # type: ignore[arg-type]

    try:
        MapScreen.render = counting  # type: ignore[assignment,method-assign]
        for _ in range(3):
            d.app.dirty = True
            d.app.step([])
        assert calls == []
        d.resize(1000, 700)
        d.app.dirty = True
        d.app.step([])
        assert calls == [1]
        d.key(pygame.K_t)
        d.key(pygame.K_4)  # hold: the draft may not change, but the map is drawn anew only if it does
        d.key(pygame.K_m)
        assert d.screen == "map"
        assert len(calls) <= 2
    finally:
        MapScreen.render = render  # type: ignore[method-assign]
        pygame.quit()


@pytest.mark.parametrize("name", ["moscow1945", "moscow1950"])
def test_soviet_cities_lie_outside_manchuria(name: str) -> None:
    """The frontier is the Amur and the Ussuri: Blagoveshchensk, Khabarovsk and Vladivostok are Soviet."""
    m = load_file(SCENARIOS[name]).scenario.map
    assert m is not None
    manchuria = next(s for s in m.shapes if s.id == "manchuria")
    where = {p.id: (p.lon, p.lat) for p in m.places}
    for city in ("blagoveshchensk", "khabarovsk", "vladivostok", "chita"):
        if city in where:
            assert not inside(where[city], manchuria.points), f"{city} is drawn inside Manchuria"
    for city in ("harbin", "changchun", "mukden", "shenyang", "manzhouli", "suifenhe"):
        if city in where:
            assert inside(where[city], manchuria.points), f"{city} is outside Manchuria"


def test_world_outline_is_shipped() -> None:
    """The Natural Earth outline loads (from the checkout here; the packaging test checks the wheel)."""
    world = load_world()
    assert len(world.land) > 1000 and len(world.borders) > 300
    # Liaodong's tip is land, the Bohai Sea is not
    eurasia = max(world.land, key=lambda p: len(p.rings[0]))
    assert inside((121.8, 39.1), eurasia.rings[0])
    assert not inside((120.0, 39.0), eurasia.rings[0])


def test_projection_round_trip_and_fit() -> None:
    """The conic's inverse undoes it; a fitted view shows the whole of its bounds."""
    proj = Conic(85, 135, 36, 54)
    for lon, lat in ((100, 45), (85, 36), (135, 54), (121.3, 38.8)):
        back = proj.inverse(*proj.forward(lon, lat))
        assert back == pytest.approx((lon, lat), abs=1e-6)
    view = View.fit((85, 36, 135, 54), (0, 0, 800, 500))
    for lon, lat in ((85, 36), (135, 36), (85, 54), (135, 54), (110, 45)):
        x, y = view.px(lon, lat)
        assert -1 <= x <= 801 and -1 <= y <= 501
    w, s, e, n = view.box
    assert w <= 85 and e >= 135 and s <= 36 and n >= 54


def test_clip_ring_to_box() -> None:
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    clipped = clip_ring(square, (5.0, -5.0, 20.0, 5.0))
    assert sorted(clipped) == [(5.0, 0.0), (5.0, 5.0), (10.0, 0.0), (10.0, 5.0)]


def test_placer_never_overlaps_and_drops_what_has_no_room() -> None:
    """Labels take free slots around their points; a label with no free slot is left out."""
    placer = Placer(pygame.Rect(0, 0, 200, 100))
    reqs = [LabelRequest(f"p{i}", 100, 50, ["name"], [(60, 20)], 6) for i in range(12)]
    placed = [placer.place(r) for r in reqs]
    got = [p for p in placed if p is not None]
    assert 4 <= len(got) < 12
    for a, b in itertools.combinations(got, 2):
        assert not a.rect.colliderect(b.rect)
    assert all(placer.frame.contains(p.rect) for p in got)


def test_placer_keeps_a_label_nearest_its_own_point() -> None:
    """A label is never placed nearer to another place's mark than to its own."""
    placer = Placer(pygame.Rect(0, 0, 400, 200))
    placer.points = [("a", 100, 100, 3), ("b", 140, 100, 3)]
    got = placer.place(LabelRequest("a", 100, 100, ["Alpha"], [(50, 16)], 6))
    assert got is not None
    assert got.rect.right < 140  # not out east, over b
    assert rect_distance(got.rect, 100, 100) <= rect_distance(got.rect, 140, 100)


def test_map_cache_is_small() -> None:
    """Only one cached drawing is kept (the window's size, at most)."""
    assert len(mapview._CACHE) <= 1


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_map_draws_at_every_size(name: str, tmp_path: Path) -> None:
    """Each scenario's map at several sizes is a real picture; MAP_SHOTS=folder keeps them for a person to look at."""
    out = Path(os.environ.get("MAP_SHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for size, text_size in SIZES:
        d = open_map(SCENARIOS[name], size, text_size)
        surf = d.app.surface
        assert surf.get_size() == size
        small = pygame.transform.scale(surf, (size[0] // 8, size[1] // 8))
        colours = {small.get_at((x, y))[:3] for x in range(small.get_width()) for y in range(small.get_height())}
        assert len(colours) > 50, f"{name} at {size}, {text_size}: the map is nearly blank"
        pygame.image.save(surf, str(out / f"{name}-{size[0]}x{size[1]}-{text_size}.png"))
        pygame.quit()
        Settings().save()


def test_a_large_marker_claims_the_names_next_to_it() -> None:
    """Nearness is to a mark's edge: a name beside a big marker is not given to the small dot behind it."""
    placer = Placer(pygame.Rect(0, 0, 400, 200))
    placer.points = [("big", 100, 100, 8), ("dot", 128, 103, 2)]
    placer.add(pygame.Rect(134, 40, 120, 120))  # no room east of the dot
    got = placer.place(LabelRequest("dot", 128, 103, ["Hailar"], [(38, 15)], 5))
    assert got is None or rect_distance(got.rect, 128, 103) - 2 <= rect_distance(got.rect, 100, 100) - 8
