"""API: your own API tokens, listed and revoked (made on the tokens page)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from personfirst.core.accounts.models import ApiToken

from .schemas import ERRORS, PARAMETER_ERRORS

router = Router(tags=["API tokens"])


class TokenOut(Schema):
    id: int
    name: str
    starts_with: str = Field(description="The token's first characters, to recognise it")
    scopes: list[str] = Field(description="Some of read, write, people")
    status: str = Field(description="active, expired or revoked")
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


def _out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        starts_with=token.hint,
        scopes=token.scopes,
        status=token.status,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="Your API tokens")
def list_tokens(request: HttpRequest):
    """Every token you have made, newest first, whether it still works or not. Never the token itself."""
    return [_out(token) for token in ApiToken.objects.filter(user=request.user)]


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: TokenOut, **ERRORS, **PARAMETER_ERRORS},
    summary="Revoke one of your API tokens",
)
def revoke_token(request: HttpRequest, token_id: int):
    """It stops working at once (this one too, if it is the token you send). Someone else's token is not found."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token.revoke()
    return _out(token)
