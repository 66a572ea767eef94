"""What the officers' workspace lists, filters, sorts and searches by, from what the registry
received: each submission's title, summary, aid requested, theme, zone and municipalities in
columns of its own, and each application's latest submission. Existing rows are filled from
the submissions' frozen content."""

from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models


def fill_from_content(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Submission = apps.get_model("applications", "Submission")
    Theme = apps.get_model("programmes", "Theme")
    Zone = apps.get_model("programmes", "Zone")
    Municipality = apps.get_model("places", "Municipality")
    through = Submission.municipalities.through

    def by_code(model, programme_id, value):
        if not value:
            return None
        return (
            model.objects.filter(programme_id=programme_id, code=value["code"])
            .values_list("pk", flat=True)
            .first()
        )

    latest = {}
    for submission in Submission.objects.order_by("application_id", "number").iterator():
        content = submission.content
        programme_id = content["programme"]["id"]
        Submission.objects.filter(pk=submission.pk).update(
            title=content.get("title", ""),
            summary=content.get("summary", ""),
            aid_requested=Decimal(content["financing"]["aid_requested"]),
            theme_id=by_code(Theme, programme_id, content.get("theme")),
            zone_id=by_code(Zone, programme_id, content.get("zone")),
        )
        ids = [item["id"] for item in content.get("municipalities", [])]
        existing = Municipality.objects.filter(pk__in=ids).values_list("pk", flat=True)
        through.objects.bulk_create(
            [through(submission_id=submission.pk, municipality_id=pk) for pk in existing]
        )
        latest[submission.application_id] = submission.pk
    for application_id, submission_id in latest.items():
        Application.objects.filter(pk=application_id).update(last_submission_id=submission_id)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_prepared_submission"),
        ("places", "0002_period_order_nulls_first"),
        ("programmes", "0002_programme_indirect_cost_percent_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="last_submission",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="applications.submission",
                verbose_name="last submission",
            ),
        ),
        migrations.AddField(
            model_name="submission",
            name="title",
            field=models.CharField(blank=True, max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="submission",
            name="summary",
            field=models.TextField(blank=True, verbose_name="summary"),
        ),
        migrations.AddField(
            model_name="submission",
            name="aid_requested",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                max_digits=14,
                verbose_name="aid requested",
            ),
        ),
        migrations.AddField(
            model_name="submission",
            name="theme",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="programmes.theme",
                verbose_name="theme",
            ),
        ),
        migrations.AddField(
            model_name="submission",
            name="zone",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="programmes.zone",
                verbose_name="zone",
            ),
        ),
        migrations.AddField(
            model_name="submission",
            name="municipalities",
            field=models.ManyToManyField(
                blank=True,
                related_name="submissions",
                to="places.municipality",
                verbose_name="participating municipalities",
            ),
        ),
        migrations.RunPython(fill_from_content, migrations.RunPython.noop),
    ]
