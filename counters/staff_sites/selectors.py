"""The one answer to "which sites may this person see?", and the filter every staff read goes through.

Views, forms, exports and admin lists ask `filter_for_staff`; an object of another site is then
simply not found, so that a reference typed by an agent of another prefecture says nothing more
than an unknown one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model, Q, QuerySet

from counters.models import Closure, Counter, CounterType, ExceptionalOpening, OpeningRule, Site, Slot

SEE_ALL_SITES = "staff_sites.see_all_sites"

# How each configuration model reaches its site, as a lookup path ("pk" for a site itself).
# A closure belongs to a site directly or through one of its counters.
SITE_PATHS: dict[type[Model], tuple[str, ...]] = {
    Site: ("pk",),
    CounterType: ("site",),
    Counter: ("site",),
    ExceptionalOpening: ("site",),
    Slot: ("counter_type__site",),
    OpeningRule: ("counter__site",),
    Closure: ("site", "counter__site"),
}


def sees_all_sites(user) -> bool:
    """A national administrator: a superuser, or anyone given the permission (through the group)."""
    return bool(user.is_active and user.has_perm(SEE_ALL_SITES))


def list_sites_for(user) -> QuerySet[Site]:
    """The sites `user` works at (every site for a national administrator), active or not."""
    if not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    if sees_all_sites(user):
        return Site.objects.all()
    return Site.objects.filter(staff_profiles__user=user)


def site_paths_for(model: type[Model], via: str | Iterable[str] | None = None) -> tuple[str, ...]:
    if via is not None:
        return (via,) if isinstance(via, str) else tuple(via)
    try:
        return SITE_PATHS[model]
    except KeyError:
        raise ValueError(f"Say how {model.__name__} reaches its site: filter_for_staff(..., via=...)") from None


def filter_for_staff(queryset: QuerySet, user, *, via: str | Iterable[str] | None = None) -> QuerySet:
    """`queryset` narrowed to the objects of `user`'s sites (untouched for a national administrator).

    `via` is the lookup from the model to its site, e.g. "counter_type__site" for a booking;
    the configuration models of `counters` know their own.
    """
    if user.is_authenticated and sees_all_sites(user):
        return queryset
    sites = list_sites_for(user)
    condition = Q()
    for path in site_paths_for(queryset.model, via):
        condition |= Q(**{f"{path}__in": sites})
    return queryset.filter(condition)


def site_ids_of(obj: Model, *, via: str | Iterable[str] | None = None) -> set[int]:
    """The sites an object belongs to, read through the same paths as the filter (no query when loaded)."""
    ids = set()
    for path in site_paths_for(type(obj), via):
        value = obj
        for name in path.split("__"):
            value = getattr(value, name, None) if value is not None else None
        if isinstance(value, Site):
            value = value.pk
        if value is not None:
            ids.add(value)
    return ids


def can_see_object(user, obj: Model, *, via: str | Iterable[str] | None = None) -> bool:
    """Whether `obj` belongs to one of `user`'s sites; a new object (no site yet) is left to its form."""
    if sees_all_sites(user):
        return True
    ids = site_ids_of(obj, via=via)
    return bool(ids) and list_sites_for(user).filter(pk__in=ids).exists()


def list_staff_for(user, queryset: QuerySet) -> QuerySet:
    """Of the user accounts in `queryset`, those `user` looks after: every account for a national
    administrator; for a head of bureau, the accounts of their sites that are not administrators."""
    if sees_all_sites(user):
        return queryset
    app_label, codename = SEE_ALL_SITES.split(".")
    administrators = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
    administrators |= Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    others = queryset.model.objects.filter(administrators).values("pk")
    return (
        queryset.filter(staff_profile__sites__in=list_sites_for(user), is_superuser=False)
        .exclude(pk__in=others)
        .distinct()
    )
