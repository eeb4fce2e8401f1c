"""The people-competence catalogue gets Arabic and English labels, as the other catalogues:
``label`` becomes ``label_fr`` (data kept), ``label_ar`` and ``label_en`` are added."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("competences", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("competence", "label", "label_fr"),
        migrations.RenameField("historicalcompetence", "label", "label_fr"),
        migrations.AlterField(
            model_name="competence",
            name="label_fr",
            field=models.CharField(max_length=150, verbose_name="intitulé (français)"),
        ),
        migrations.AlterField(
            model_name="historicalcompetence",
            name="label_fr",
            field=models.CharField(max_length=150, verbose_name="intitulé (français)"),
        ),
        migrations.AddField(
            model_name="competence",
            name="label_ar",
            field=models.CharField(blank=True, max_length=150, verbose_name="intitulé (arabe)"),
        ),
        migrations.AddField(
            model_name="competence",
            name="label_en",
            field=models.CharField(blank=True, max_length=150, verbose_name="intitulé (anglais)"),
        ),
        migrations.AddField(
            model_name="historicalcompetence",
            name="label_ar",
            field=models.CharField(blank=True, max_length=150, verbose_name="intitulé (arabe)"),
        ),
        migrations.AddField(
            model_name="historicalcompetence",
            name="label_en",
            field=models.CharField(blank=True, max_length=150, verbose_name="intitulé (anglais)"),
        ),
    ]
