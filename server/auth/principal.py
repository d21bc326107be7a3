"""Who is calling: the account and the roles the authentication path resolved."""

from __future__ import annotations

import msgspec

GUEST, USER, ADMIN, SUPER_ADMIN = 1, 2, 3, 4


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """An authenticated account. ``rank`` is its highest role (1 guest .. 4 super admin)."""

    id: int
    username: str
    rank: int
    admin_session: bool = True
    # A job's user job: what it creates through the generic annotation routes is algo data.
    algo: bool = False

    @property
    def is_admin(self) -> bool:
        """Admin rights in force now: the role, with the admin session open."""
        return self.rank >= ADMIN and self.admin_session

    @property
    def is_super_admin(self) -> bool:
        return self.rank >= SUPER_ADMIN and self.admin_session

    @property
    def has_admin_role(self) -> bool:
        """Holds ROLE_ADMIN or above, whether or not the admin session is open."""
        return self.rank >= ADMIN

    @property
    def is_guest(self) -> bool:
        """Guests only read."""
        return self.rank <= GUEST


__all__ = ["ADMIN", "GUEST", "SUPER_ADMIN", "USER", "Principal"]
