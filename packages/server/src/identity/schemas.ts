// TypeBox schemas shared by the identity routes.
import { Type } from '@sinclair/typebox';

export const Phone = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164 phone number, e.g. +447700900123' });

export const SessionBody = Type.Object({
  access_token: Type.String(), token: Type.String(), token_type: Type.Literal('Bearer'), expires_at: Type.String(), expires_in: Type.Integer(),
  duckling_id: Type.String(), email: Type.String(), display_name: Type.String(), trust_tier: Type.String(),
  beak_key: Type.Optional(Type.String({ description: 'Only with `issue_beak_key: true`; shown once' })),
});
