"""An authentication backend that caches the user row between requests.

Every authenticated request otherwise loads the user from the database. The cached
copy lives under the user's generation (``coursesite.cache.user_row``), which moves
on whenever the user is saved or deleted, once that write commits: a changed
password, a deactivated account or new staff rights take effect on the next
request, even when another request read the old row just before. Django's session
hash check still runs against the cached password hash. Permissions are not
cached here (ModelBackend loads them per request when asked).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from coursesite import cache as site_cache


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = site_cache.user_row(
            user_id, lambda: super(CachedModelBackend, self).get_user(user_id)
        )
        return user if self.user_can_authenticate(user) else None


# Users are saved by Django's own code (the auth views, the user admin, the
# last-login update), not by our services: a signal is the one place that hears
# all of them. The flush itself takes effect at commit.
@receiver(post_save, sender=get_user_model(), dispatch_uid="auth-user-cache-save")
@receiver(post_delete, sender=get_user_model(), dispatch_uid="auth-user-cache-del")
def _user_changed(sender, instance, **kwargs):
    site_cache.user_changed(instance.pk)
