from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from binome.ops.health import health


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when every check passes, 503 naming the ones that failed otherwise.

    For a load balancer or a supervisor: no login, no rate limit, plain HTTP accepted
    (SECURE_REDIRECT_EXEMPT), and nothing personal in the answer, only states and ages.
    """
    checks = health()
    failed = [check.name for check in checks if not check.ok]
    body = {
        "status": "fail" if failed else "ok",
        "failed": failed,
        "checks": {check.name: {"ok": check.ok, **check.detail} for check in checks},
    }
    return JsonResponse(body, status=503 if failed else 200)
