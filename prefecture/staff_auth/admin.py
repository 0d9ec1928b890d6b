"""Staff accounts in the admin: their sites, whether a second factor is set up, and its reset."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from counters.staff_sites.admin import StaffProfileInline
from counters.staff_sites.selectors import list_staff_for

from . import services

User = get_user_model()

# The keys of authenticator apps and the recovery codes are not for reading, even by an
# administrator: a second factor is reset (and set up again by its owner), never copied.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)

admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """A national administrator manages every account; a head of bureau sees those of their sites
    (not the administrators') and may reset their second factor."""

    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "last_name", "is_staff", "site_names", "has_second_factor"]
    actions = ["reset_second_factor"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("staff_profile__sites")
        queryset = queryset.annotate(
            second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        return list_staff_for(request.user, queryset)

    @admin.display(description=_("sites"))
    def site_names(self, user) -> str:
        profile = getattr(user, "staff_profile", None)
        return ", ".join(site.name for site in profile.sites.all()) if profile else ""

    @admin.display(description=_("double authentification"), boolean=True, ordering="second_factor")
    def has_second_factor(self, user) -> bool:
        return user.second_factor

    def has_reset_second_factor_permission(self, request) -> bool:
        return request.user.has_perm(services.RESET_PERMISSION)

    @admin.action(description=_("Réinitialiser la double authentification"), permissions=["reset_second_factor"])
    def reset_second_factor(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                services.reset_second_factor(user=user, by=request.user)
            except services.ResetRefused as error:
                self.message_user(request, f"{user} : {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "Double authentification réinitialisée pour %(count)d compte : il en configurera une nouvelle à "
                    "sa prochaine connexion.",
                    "Double authentification réinitialisée pour %(count)d comptes : ils en configureront une nouvelle "
                    "à leur prochaine connexion.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
