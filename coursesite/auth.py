"""An authentication backend that caches the user row between requests.

Every authenticated request otherwise loads the user from the database. The cached
copy is dropped whenever the user is saved or deleted (signals below), so a changed
password, a deactivated account or new staff rights take effect on the next
request; Django's session hash check still runs against the cached password hash.
Permissions are not cached here (ModelBackend loads them per request when asked).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver


def _key(user_id) -> str:
    return f"auth-user:{user_id}"


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        seconds = getattr(settings, "AUTH_USER_CACHE_SECONDS", 600)
        if not seconds:
            return super().get_user(user_id)
        key = _key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(key, user, seconds)
        return user if self.user_can_authenticate(user) else None


@receiver(post_save, sender=get_user_model(), dispatch_uid="auth-user-cache-save")
@receiver(post_delete, sender=get_user_model(), dispatch_uid="auth-user-cache-del")
def _forget_user(sender, instance, **kwargs):
    # Again once the write commits: until then other requests still read the old
    # row, and one of them may have cached it after the first delete.
    key = _key(instance.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
