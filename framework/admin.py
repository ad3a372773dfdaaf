"""The Django admin, for superusers only; HR work happens in the portal's own pages."""

from django.contrib import admin

from framework.models import (
    Competency,
    ExpectedLevel,
    Framework,
    Indicator,
    Level,
    PositionClass,
    ScalePoint,
)


class ScalePointInline(admin.TabularInline):
    model = ScalePoint
    extra = 0


class CompetencyInline(admin.TabularInline):
    model = Competency
    fields = ["order", "code", "name_th", "name_en"]
    extra = 0
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "version", "status", "required_share"]
    list_filter = ["status", "organisation"]
    inlines = [ScalePointInline, CompetencyInline]


class LevelInline(admin.StackedInline):
    model = Level
    extra = 0
    show_change_link = True


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "framework", "order"]
    list_filter = ["framework"]
    inlines = [LevelInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["competency", "number", "title"]
    list_filter = ["competency__framework", "competency__code"]
    inlines = [IndicatorInline]


@admin.register(PositionClass)
class PositionClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "group", "order"]


@admin.register(ExpectedLevel)
class ExpectedLevelAdmin(admin.ModelAdmin):
    list_display = ["competency", "position_class", "level"]
    list_filter = ["competency__framework", "competency__code", "position_class__group"]
