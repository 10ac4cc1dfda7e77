"""The organisers' roles, defined here and nowhere else.

Each role is a Django group. The groups are created by a migration; their permissions are
set after every `migrate` (post_migrate, when permissions exist), from the rules below, so
a model added later to one of the apps is picked up without touching this file, and a
permission someone ticks by hand in the admin is taken away again at the next deploy.

User accounts themselves are managed by superusers (whoever deploys the site): neither role
can edit users or groups, or it could promote itself.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

# The apps organisers run the campaign with.
CAMPAIGN_APPS = ("prisoners", "appeals", "petitions", "news", "events")

# Signers' personal data: only Organisers may see, change or export it. Each is
# "app_label.modelname"; a model's change history ("petitions.historicalsignature")
# counts as the model itself.
PERSONAL_DATA_MODELS = (
    "petitions.signature",
    "petitions.paperbatch",
    "news.subscriber",
)

# Permissions that reach signers' data through something other than a model's own
# admin: exports and the hand-over packs given to the petition's addressee.
PERSONAL_DATA_PERMISSIONS = (
    "petitions.export_signatures",
    "petitions.handover_pack",
    # Mailing the people who asked uses their addresses.
    "news.send_update",
)

# What a view that shows signers' data asks for (see requires_signer_data).
SIGNER_DATA_PERMISSION = "petitions.view_signature"

CRUD = ("add", "change", "delete", "view")


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    apps: tuple
    # Apps of which the role only gets these actions (e.g. view and delete lockouts).
    limited_apps: dict = field(default_factory=dict)
    personal_data: bool = False

    def allows(self, app_label, model_name, codename):
        """Whether this role holds the permission `app_label.codename` on model_name."""
        action = codename.split("_", 1)[0]
        if app_label in self.limited_apps:
            return action in self.limited_apps[app_label]
        if app_label not in self.apps:
            return False
        if self.personal_data:
            return True
        if is_personal_data_model(app_label, model_name):
            return False
        if f"{app_label}.{codename}" in PERSONAL_DATA_PERMISSIONS:
            return False
        # A custom permission is something more than editing text (exporting, handing
        # over...): Editors get it only once someone decides they should, here.
        return action in CRUD and codename == f"{action}_{model_name}"


def is_personal_data_model(app_label, model_name):
    label = f"{app_label}.{model_name}"
    return label in PERSONAL_DATA_MODELS or label.replace(".historical", ".", 1) in PERSONAL_DATA_MODELS


ORGANISER = Role(
    name="Organiser",
    description=_("Everything, including signers' personal data, exports and hand-over packs."),
    apps=CAMPAIGN_APPS,
    limited_apps={
        # Lift a lockout from the admin. Not the authenticators: their admin shows the
        # secret keys and backup codes, so removing a lost one is left to superusers.
        "axes": ("view", "delete"),
    },
    personal_data=True,
)
EDITOR = Role(
    name="Editor",
    description=_("Case files, appeals and petitions' texts; no signers' personal data, exports or hand-over packs."),
    apps=CAMPAIGN_APPS,
)
# Translates the site's strings in the browser (campaign/translators.py), nothing else: a
# volunteer translator sees no case file, appeal, petition or signer through this role.
TRANSLATE_PERMISSION = "campaign.translate_site"
TRANSLATOR = Role(
    name="Translator",
    description=_("The site's own words in Russian and Kazakh, translated in the browser; nothing else."),
    apps=(),
    limited_apps={"campaign": ("translate",)},
)
ROLES = (ORGANISER, EDITOR, TRANSLATOR)


def sync_role_permissions(app_config=None, using="default", **kwargs):
    """Give each role's group exactly the permissions its rules allow, for one app (the
    post_migrate signal's sender) or for every app."""
    from django.contrib.auth.models import Group, Permission

    permissions = Permission.objects.using(using).select_related("content_type")
    if app_config is not None:
        permissions = permissions.filter(content_type__app_label=app_config.label)
    permissions = list(permissions)
    for role in ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=role.name)
        wanted = {p for p in permissions if role.allows(p.content_type.app_label, p.content_type.model, p.codename)}
        current = set(group.permissions.filter(pk__in=[p.pk for p in permissions]))
        group.permissions.remove(*(current - wanted))
        group.permissions.add(*(wanted - current))


def requires_permission(permission):
    """For a view outside the admin: the login page for a visitor, the second factor for
    staff who have not given it yet, 403 for a user without `permission`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            from .two_factor import needs_second_factor, second_factor_redirect

            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if needs_second_factor(request):
                return second_factor_redirect(request)
            if not (user.is_active and user.is_staff and user.has_perm(permission)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Signature lists, exports and hand-over packs outside the admin use this.
requires_signer_data = requires_permission(SIGNER_DATA_PERMISSION)
