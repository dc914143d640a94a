"""Accommodations belong to one course (step 1 of 3): the course column, empty
for now."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_order_by_ids_not_joins"),
        ("quizzes", "0005_response_sequence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accommodation",
            name="course",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="accommodations",
                to="lessons.course",
                verbose_name="course",
            ),
        ),
        migrations.AlterField(
            model_name="accommodation",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="accommodations",
                to=settings.AUTH_USER_MODEL,
                verbose_name="student",
            ),
        ),
    ]
