"""Background jobs in the admin: what ran, for whom, and why one failed. Read-only:
jobs are started from the pages that need them (coursesite/jobs.py)."""

from django.contrib import admin

from coursesite.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "owner", "course", "status", "done", "total",
                    "tries", "created_at", "finished_at"]  # fmt: skip
    list_filter = ["kind", "status"]
    list_select_related = ["owner", "course"]
    search_fields = ["owner__username", "course__slug", "error"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
