"""The history the public figures need and the bookings do not keep: how far the first free place was."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from counters.models import CounterType


class AvailabilitySample(models.Model):
    """Once an hour, per procedure open online: the first day with a place a resident could book.

    `sampled_at` is the hour the sample stands for (the time it was taken,
    truncated to the hour), so that a job run twice in an hour records one
    sample. `first_free_day` and `wait_days` are both empty when the whole
    booking window had no place; `wait_days` counts the days from the site's
    local date at that moment (0: a place the same day). No personal data.
    """

    counter_type = models.ForeignKey(
        CounterType, on_delete=models.CASCADE, related_name="availability_samples", verbose_name=_("démarche")
    )
    sampled_at = models.DateTimeField(_("heure du relevé"))
    first_free_day = models.DateField(_("premier jour avec une place"), null=True, blank=True)
    wait_days = models.PositiveSmallIntegerField(_("jours d'attente"), null=True, blank=True)

    class Meta:
        verbose_name = _("relevé de disponibilité")
        verbose_name_plural = _("relevés de disponibilité")
        ordering = ["-sampled_at"]
        constraints = [
            models.UniqueConstraint(fields=["counter_type", "sampled_at"], name="availability_sample_one_per_hour"),
            models.CheckConstraint(
                condition=Q(first_free_day__isnull=True, wait_days__isnull=True)
                | Q(first_free_day__isnull=False, wait_days__isnull=False),
                name="availability_sample_day_and_wait_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter_type_id} · {self.sampled_at:%Y-%m-%d %H:%M} · {self.wait_days}"
