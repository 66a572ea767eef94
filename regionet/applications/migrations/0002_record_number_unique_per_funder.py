"""Record numbers unique per funder in the database: each application names its funder."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def fill_funders(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Programme = apps.get_model("programmes", "Programme")
    funder = Programme.objects.filter(calls__phases=OuterRef("phase_id")).values("funder_id")
    Application.objects.update(funder_id=Subquery(funder[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="funder",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="funder",
            ),
        ),
        migrations.RunPython(fill_funders, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="funder",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="funder",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=Q(("record_number", ""), _negated=True),
                fields=("funder", "record_number"),
                name="application_record_number_unique_per_funder",
            ),
        ),
    ]
