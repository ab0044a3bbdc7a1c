"""The duplicate filter: remembers keys for a while, and never more than its bound."""

from bot.gateway.channels.recent import RecentKeys


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_second_delivery_is_a_duplicate_until_the_window_passes():
    clock = Clock()
    keys = RecentKeys(ttl_seconds=300, max_keys=100, clock=clock)
    assert keys.add("msg:1") is True
    clock.now = 299
    assert keys.add("msg:1") is False
    clock.now = 601
    assert keys.add("msg:1") is True


def test_bounded_oldest_forgotten_first():
    keys = RecentKeys(ttl_seconds=300, max_keys=2, clock=Clock())
    for key in ("a", "b", "c"):
        assert keys.add(key)
    assert "a" not in keys and "b" in keys and "c" in keys


def test_discard():
    keys = RecentKeys(ttl_seconds=300, max_keys=10, clock=Clock())
    keys.add("openid")
    keys.discard("openid")
    assert "openid" not in keys
