"""Accommodations belong to one course (step 3 of 3): every row has its course,
and a student has one row per course."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_order_by_ids_not_joins"),
        ("quizzes", "0007_accommodation_per_course"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accommodation",
            name="course",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="accommodations",
                to="lessons.course",
                verbose_name="course",
            ),
        ),
        migrations.AlterField(
            model_name="accommodation",
            name="time_multiplier",
            field=models.DecimalField(
                decimal_places=2,
                default=1,
                help_text="1.5 gives 50% more time on every timed quiz of the course.",
                max_digits=4,
                verbose_name="time multiplier",
            ),
        ),
        migrations.AddConstraint(
            model_name="accommodation",
            constraint=models.UniqueConstraint(
                fields=("user", "course"), name="accommodation_unique_user_course"
            ),
        ),
    ]
