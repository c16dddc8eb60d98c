from django import template

register = template.Library()


@register.inclusion_tag("organisations/_nav.html", takes_context=True)
def organisation_nav(context, organisation, section: str) -> dict:
    user = context["user"]
    perms_org = {
        name: user.has_perm(f"organisations.{name}", organisation)
        for name in ("manage_people", "manage_sharing", "view_audit")
    }
    perms_org["view_plan"] = user.has_perm("plans.view_plan", organisation)
    return {"organisation": organisation, "section": section, "perms_org": perms_org, "user": user}
