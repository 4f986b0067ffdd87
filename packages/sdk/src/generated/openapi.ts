// Generated from the Space Duck OpenAPI document by packages/sdk/scripts/generate.mjs.
// Do not edit: run `npm run generate -w @spaceduck/sdk` after changing a route schema.
/* eslint-disable */
export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys for session tokens and birth certificates (EdDSA) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Service identity */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            galaxy: string;
                            service: string;
                            timestamp: string;
                            version: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/agent/bond": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bond ceremony: the agent's own Beak Key plus its single-use handshake token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        agent_id?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        handshake_token: string;
                        spaceduck_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id: string;
                            bonded_at: string;
                            duckling_id: string;
                            spaceduck_id: string;
                            /** @enum {string} */
                            status: "bonded";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/agent/deregister": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deregister a Space Duck: its keys are revoked at once and its pulses refused */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        agent_id?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        spaceduck_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id: string;
                            deregistered_at: string;
                            message: string;
                            revoked_keys: number;
                            spaceduck_id: string;
                            /** @enum {string} */
                            status: "deregistered";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/agent/handshake": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new handshake token for a Space Duck that has not bonded yet (operator) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        agent_id?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        spaceduck_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id: string;
                            handshake_expires_at: string;
                            handshake_token: string;
                            spaceduck_id: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/agent/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The operator's agents: key preview, status, liveness, last pulse */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    include_deregistered?: boolean;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agents: {
                                agent_id: string;
                                agent_name: string;
                                agent_type: string | null;
                                beak_key: string | null;
                                beak_key_preview: string | null;
                                bonded_at: string | null;
                                capabilities: string[];
                                created_at: string;
                                deregistered_at: string | null;
                                duckling_id: string;
                                key_expires_at: string | null;
                                key_id: string | null;
                                last_seen: string | null;
                                last_status: string | null;
                                liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                                meta: {
                                    [key: string]: unknown;
                                } | null;
                                model: string | null;
                                parent_id: string | null;
                                provider: string | null;
                                spaceduck_id: string;
                                /** @description registered | bonded | deregistered */
                                status: string;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/agent/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a Space Duck under the calling duckling (T1+): its own Beak Key and a handshake token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        agent_name: string;
                        agent_type?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        capabilities?: string[];
                        duckling_id?: string;
                        model?: string;
                        parent_id?: string;
                        provider?: string;
                        request_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id: string;
                            agent_name: string;
                            agent_type: string | null;
                            /** @description The agent's Beak Key, shown only this once */
                            beak_key: string;
                            beak_key_preview: string | null;
                            bonded_at: string | null;
                            capabilities: string[];
                            created_at: string;
                            deregistered_at: string | null;
                            duckling_id: string;
                            handshake_expires_at: string;
                            /** @description Single use, valid 24 h: POST /beak/agent/bond */
                            handshake_token: string;
                            key_expires_at: string;
                            key_id: string;
                            last_seen: string | null;
                            last_status: string | null;
                            liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                            message: string;
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            model: string | null;
                            parent_id: string | null;
                            provider: string | null;
                            spaceduck_id: string;
                            /** @description registered | bonded | deregistered */
                            status: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/agent/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events: the operator's pulses (`event: pulse`) and liveness changes (`event: liveness`) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Security log of the duckling and its agents */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            entries: {
                                actor_id: string | null;
                                detail: {
                                    [key: string]: unknown;
                                };
                                event_type: string;
                                id: string;
                                ip: string | null;
                                target_id: string | null;
                                timestamp: string;
                                user_agent: string | null;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with password or emailed code; `{ email }` alone emails a code */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action?: string;
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                        issue_beak_key?: boolean;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description Only with `issue_beak_key: true`; shown once */
                            beak_key?: string;
                            display_name: string;
                            duckling_id: string;
                            email: string;
                            expires_at: string;
                            expires_in: number;
                            token: string;
                            /** @enum {string} */
                            token_type: "Bearer";
                            trust_tier: string;
                        } | {
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/cert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify a birth certificate (public; the seed-000 form) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "verify";
                        /** @description A certificate id (`cert_…`) */
                        cert_id: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_id: string;
                            /** @description The certificate as a compact JWS (VC-JWT, EdDSA); only while valid */
                            credential?: string;
                            display_name?: string;
                            duckling_id?: string;
                            issued_at?: string;
                            message?: string;
                            reason?: string;
                            revoked_at?: string;
                            /** @description valid | revoked | superseded */
                            status: string;
                            superseded_by?: string;
                            trust_tier?: string;
                            valid: boolean;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            error: string;
                            message: string;
                            /** @enum {boolean} */
                            valid: false;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/cert/issue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The current valid certificate, or a new one if the last was revoked (idempotent; T1+) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_id: string;
                            /** @description The certificate as a compact JWS (VC-JWT, EdDSA) */
                            credential: string;
                            display_name: string;
                            duckling_id: string;
                            issued_at: string;
                            reason: string | null;
                            revoked_at: string | null;
                            status: string;
                            status_list_credential: string;
                            status_list_index: number;
                            superseded_by: string | null;
                            trust_tier: string;
                            valid: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/cert/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke your valid certificate; verification and the status list show it at once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Defaults to "unspecified" */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_id: string;
                            reason: string;
                            revoked_at: string;
                            /** @enum {string} */
                            status: "revoked";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/cert/status-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The revocation list as a signed BitstringStatusListCredential (VC-JWT); `Accept: application/vc+jwt` for the bare JWS */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            "@context": string[];
                            /** @description The same credential as a compact JWS (VC-JWT, EdDSA): the only part to trust */
                            credential: string;
                            credentialSubject: {
                                /** @description Multibase (u) base64url of the GZIP-compressed bitstring, MSB first, ≥ 131,072 bits */
                                encodedList: string;
                                id: string;
                                /** @enum {string} */
                                statusPurpose: "revocation";
                                /** @description Milliseconds a verifier may cache the list */
                                ttl: number;
                                /** @enum {string} */
                                type: "BitstringStatusList";
                            };
                            id: string;
                            issuer: string;
                            type: string[];
                            validFrom: string;
                            validUntil: string;
                        };
                    };
                };
                /** @description Default Response */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/cert/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Verify a birth certificate (public) */
        get: {
            parameters: {
                query: {
                    /** @description A certificate id (`cert_…`) */
                    cert_id: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_id: string;
                            /** @description The certificate as a compact JWS (VC-JWT, EdDSA); only while valid */
                            credential?: string;
                            display_name?: string;
                            duckling_id?: string;
                            issued_at?: string;
                            message?: string;
                            reason?: string;
                            revoked_at?: string;
                            /** @description valid | revoked | superseded */
                            status: string;
                            superseded_by?: string;
                            trust_tier?: string;
                            valid: boolean;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            error: string;
                            message: string;
                            /** @enum {boolean} */
                            valid: false;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Verify a birth certificate (public) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description A certificate id (`cert_…`) */
                        cert_id: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_id: string;
                            /** @description The certificate as a compact JWS (VC-JWT, EdDSA); only while valid */
                            credential?: string;
                            display_name?: string;
                            duckling_id?: string;
                            issued_at?: string;
                            message?: string;
                            reason?: string;
                            revoked_at?: string;
                            /** @description valid | revoked | superseded */
                            status: string;
                            superseded_by?: string;
                            trust_tier?: string;
                            valid: boolean;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            error: string;
                            message: string;
                            /** @enum {boolean} */
                            valid: false;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/cert/view": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's certificate in full; with `cert_id` and no credential, that certificate's public fields */
        get: {
            parameters: {
                query?: {
                    /** @description A certificate id (`cert_…`) */
                    cert_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_id: string;
                            /** @description The certificate as a compact JWS (VC-JWT, EdDSA) */
                            credential: string;
                            display_name: string;
                            duckling_id: string;
                            issued_at: string;
                            reason: string | null;
                            revoked_at: string | null;
                            status: string;
                            status_list_credential: string;
                            status_list_index: number;
                            superseded_by: string | null;
                            trust_tier: string;
                            valid: boolean;
                        } | {
                            cert_id: string;
                            /** @description The certificate as a compact JWS (VC-JWT, EdDSA) */
                            credential: string;
                            display_name: string;
                            duckling_id: string;
                            issued_at: string;
                            revoked_at: string | null;
                            status: string;
                            superseded_by: string | null;
                            trust_tier: string;
                            valid: boolean;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            error: string;
                            message: string;
                            /** @enum {boolean} */
                            valid: false;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/certificate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's certificate in full; with `cert_id` and no credential, that certificate's public fields */
        get: {
            parameters: {
                query?: {
                    /** @description A certificate id (`cert_…`) */
                    cert_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_id: string;
                            /** @description The certificate as a compact JWS (VC-JWT, EdDSA) */
                            credential: string;
                            display_name: string;
                            duckling_id: string;
                            issued_at: string;
                            reason: string | null;
                            revoked_at: string | null;
                            status: string;
                            status_list_credential: string;
                            status_list_index: number;
                            superseded_by: string | null;
                            trust_tier: string;
                            valid: boolean;
                        } | {
                            cert_id: string;
                            /** @description The certificate as a compact JWS (VC-JWT, EdDSA) */
                            credential: string;
                            display_name: string;
                            duckling_id: string;
                            issued_at: string;
                            revoked_at: string | null;
                            status: string;
                            superseded_by: string | null;
                            trust_tier: string;
                            valid: boolean;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            error: string;
                            message: string;
                            /** @enum {boolean} */
                            valid: false;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live trust bonds of the caller (a duckling also sees its agents' bonds) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            connections: {
                                bonded_at: string;
                                connection_id: string;
                                own_id: string;
                                peck_id: string | null;
                                peer_display_name: string | null;
                                peer_duckling_id: string;
                                peer_id: string;
                                peer_trust_tier: string | null;
                                peer_type: string;
                                scope: string | null;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/dev/mail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the development mailbox (absent in production) */
        get: {
            parameters: {
                query: {
                    limit?: number;
                    to: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            messages: {
                                channel: string;
                                created_at: string;
                                otp: string | null;
                                subject: string;
                                text: string;
                                to: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/directory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public directory of masked duckling profiles; with duckling_id, that duckling's Space Ducks */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    duckling_id?: string;
                    limit?: number;
                    /** @description Display-name prefix (case-insensitive) */
                    q?: string;
                    tier?: "T0" | "T1" | "T2" | "T3";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            duckling_id?: string;
                            /** @description The caller's own full profile */
                            me?: {
                                [key: string]: unknown;
                            };
                            next_cursor: string | null;
                            spaceducks: ({
                                agent_id: string;
                                agent_name: string;
                                agent_type: string | null;
                                beak_key: string | null;
                                beak_key_preview: string | null;
                                bonded_at: string | null;
                                capabilities: string[];
                                created_at: string;
                                deregistered_at: string | null;
                                duckling_id: string;
                                key_expires_at: string | null;
                                key_id: string | null;
                                last_seen: string | null;
                                last_status: string | null;
                                liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                                meta: {
                                    [key: string]: unknown;
                                } | null;
                                model: string | null;
                                parent_id: string | null;
                                provider: string | null;
                                spaceduck_id: string;
                                /** @description registered | bonded | deregistered */
                                status: string;
                            } | {
                                bio: string | null;
                                cert_id: string | null;
                                certified: boolean;
                                created_at: string;
                                display_name: string;
                                duckling_id: string;
                                space_ducks: number;
                                trust_tier: string;
                            } | {
                                agent_id: string;
                                agent_name: string;
                                agent_type: string | null;
                                capabilities: string[];
                                created_at: string;
                                duckling_id: string;
                                liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                                parent_id: string | null;
                                spaceduck_id: string;
                                /** @description registered | bonded | deregistered */
                                status: string;
                            })[];
                            view?: "owner" | "public";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Email a password reset code (always 200) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/hatch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hatch a duckling (sign up); emails a verification code */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action?: string;
                        /** @description 3–32 letters, digits, spaces, "_" or "-" */
                        display_name?: string;
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                        password?: string;
                        /** @description E.164 phone number, e.g. +447700900123 */
                        phone?: string;
                        referral_code?: string;
                        request_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            display_name: string;
                            duckling_id: string;
                            email: string;
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                            /** @enum {string} */
                            trust_tier: "T0";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/key/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate a Beak Key: the old one stops working at once (or after grace_seconds) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action?: string;
                        agent_id?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        duckling_id?: string;
                        /** @description Lifetime in days (default 90) */
                        expires_in_days?: number;
                        /** @description Keep the old key working this long (default 0) */
                        grace_seconds?: number;
                        spaceduck_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id?: string;
                            /** @description Seed 002 reads this name (same value) */
                            beak_key: string;
                            duckling_id: string;
                            expires_at: string;
                            grace_until: string | null;
                            key_id: string;
                            message: string;
                            /** @description Seed 000 reads this name */
                            new_beak_key: string;
                            owner_type: string;
                            previous_key_id: string | null;
                            rotated_at: string;
                            spaceduck_id?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Key Manager: every key of the duckling and its agents (masked) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    owner_id?: string;
                    status?: "active" | "expired" | "revoked" | "rotated";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: {
                                created_at: string;
                                expires_at: string;
                                grace_until: string | null;
                                key_id: string;
                                last_used_at: string | null;
                                name: string | null;
                                owner_id: string;
                                owner_type: "duckling" | "agent";
                                /** @description Masked: the key itself is never shown again */
                                preview: string;
                                primary: boolean;
                                replaced_by: string | null;
                                revoked_at: string | null;
                                status: "active" | "expired" | "revoked" | "rotated";
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Mint an additional Beak Key for the duckling or one of its agents (shown once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        agent_id?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        /** @description Lifetime in days (default 90) */
                        expires_in_days?: number;
                        name?: string;
                        request_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Shown only this once */
                            beak_key: string;
                            created_at: string;
                            expires_at: string;
                            grace_until: string | null;
                            key_id: string;
                            last_used_at: string | null;
                            message: string;
                            name: string | null;
                            owner_id: string;
                            owner_type: "duckling" | "agent";
                            /** @description Masked: the key itself is never shown again */
                            preview: string;
                            primary: boolean;
                            replaced_by: string | null;
                            revoked_at: string | null;
                            status: "active" | "expired" | "revoked" | "rotated";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a key at once (on every node) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    key_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at: string;
                            expires_at: string;
                            grace_until: string | null;
                            key_id: string;
                            last_used_at: string | null;
                            name: string | null;
                            owner_id: string;
                            owner_type: "duckling" | "agent";
                            /** @description Masked: the key itself is never shown again */
                            preview: string;
                            primary: boolean;
                            replaced_by: string | null;
                            revoked_at: string | null;
                            status: "active" | "expired" | "revoked" | "rotated";
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with password or emailed code; `{ email }` alone emails a code */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action?: string;
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                        issue_beak_key?: boolean;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description Only with `issue_beak_key: true`; shown once */
                            beak_key?: string;
                            display_name: string;
                            duckling_id: string;
                            email: string;
                            expires_at: string;
                            expires_in: number;
                            token: string;
                            /** @enum {string} */
                            token_type: "Bearer";
                            trust_tier: string;
                        } | {
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public platform counts (cached up to 5 s) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agents_alive: number;
                            birth_certificates: number;
                            bonded: number;
                            bonded_agents: number;
                            certified: number;
                            connections: number;
                            domains: number;
                            ducklings: number;
                            eggs: number;
                            galaxy_version: string;
                            pecks_completed: number;
                            registered: number;
                            space_ducks: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/name-change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the display name (once per 30 days; unique case-insensitively) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description 3–32 letters, digits, spaces, "_" or "-" */
                        new_display_name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            display_name: string;
                            duckling_id: string;
                            message: string;
                            next_name_change_at: string | null;
                            previous_display_name: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/newsletter/subscribe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Join the waitlist (idempotent) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                        partner_type?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            subscribed: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/pageview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a page view */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        page: string;
                        referrer?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            recorded: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/passkey/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Without `credential`: a sign-in challenge. With it (an assertion): a session, as sign-in */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        credential?: {
                            authenticatorAttachment?: string | null;
                            clientExtensionResults?: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                attestationObject?: string;
                                authenticatorData?: string;
                                clientDataJSON: string;
                                publicKey?: string;
                                publicKeyAlgorithm?: number;
                                signature?: string;
                                transports?: string[];
                                userHandle?: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            type: "public-key";
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description Only with `issue_beak_key: true`; shown once */
                            beak_key?: string;
                            display_name: string;
                            duckling_id: string;
                            email: string;
                            expires_at: string;
                            expires_in: number;
                            token: string;
                            /** @enum {string} */
                            token_type: "Bearer";
                            trust_tier: string;
                        } | {
                            options: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/passkey/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start registering a passkey: WebAuthn creation options */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            options: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/passkey/register/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finish registering a passkey with the authenticator's response */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        credential: {
                            authenticatorAttachment?: string | null;
                            clientExtensionResults?: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                attestationObject?: string;
                                authenticatorData?: string;
                                clientDataJSON: string;
                                publicKey?: string;
                                publicKeyAlgorithm?: number;
                                signature?: string;
                                transports?: string[];
                                userHandle?: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            type: "public-key";
                        } & {
                            [key: string]: unknown;
                        };
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at: string;
                            name: string | null;
                            passkey_id: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in duckling's passkeys */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            passkeys: {
                                backed_up: boolean;
                                created_at: string;
                                credential_id: string;
                                device_type: string | null;
                                last_used_at: string | null;
                                name: string | null;
                                passkey_id: string;
                                transports?: string[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/passkeys/{passkey_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a passkey */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    passkey_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            passkey_id: string;
                            /** @enum {string} */
                            status: "deleted";
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/peck": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask a duckling or Space Duck for a trust bond; the target is emailed a code */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description What is asked for, e.g. read:profile or query; "peck" is just the verb */
                        action?: string;
                        /** @description Free-form JSON object, at most 8 KiB serialized */
                        payload?: {
                            [key: string]: unknown;
                        };
                        /** @description Shown to the target: why you ask */
                        purpose?: string;
                        /** @description Idempotency key */
                        request_id?: string;
                        /** @description Synonym of requester_spaceduck_id */
                        requester_agent_id?: string;
                        /** @description The caller (dk_… or sd_…) or one of its agents; defaults to the caller */
                        requester_id?: string;
                        /** @description An agent of the caller (or the calling agent) that sends the peck */
                        requester_spaceduck_id?: string;
                        /** @description Scope of the bond, e.g. limited */
                        scope?: string;
                        /** @description A duckling id (or a Space Duck id) */
                        target?: string;
                        /** @description Synonym of target_spaceduck_id */
                        target_agent_id?: string;
                        /** @description The target duckling */
                        target_duckling_id?: string;
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        target_email?: string;
                        /** @description The target Space Duck (agent) */
                        target_spaceduck_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            expires_at: string;
                            message: string;
                            peck_id: string;
                            /** @enum {string} */
                            status: "pending";
                            target_email?: string;
                            target_id: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/peck/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a peck as its target, with credentials, the emailed code, or both; creates the bond */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action?: "approve" | "deny";
                        /** @description The target's Beak Key (seed 002); prefer the Authorization header */
                        beak_key?: string;
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /** @description The target duckling (when given it must be the peck's target) */
                        duckling_id?: string;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                        /** @description The peck to decide */
                        peck_id: string;
                        /** @description Why the peck is denied; told to the requester */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            approved: true;
                            bonded_at: string;
                            connection_id: string;
                            peck_id: string;
                            requester_id: string;
                            /** @enum {string} */
                            status: "bonded";
                            target_id: string;
                        } | {
                            /** @enum {boolean} */
                            denied: true;
                            peck_id: string;
                            reason: string | null;
                            /** @enum {string} */
                            status: "rejected";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/peck/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deny a peck as its target; the requester is told */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The target's Beak Key (seed 002); prefer the Authorization header */
                        beak_key?: string;
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /** @description The target duckling (when given it must be the peck's target) */
                        duckling_id?: string;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                        /** @description The peck to decide */
                        peck_id: string;
                        /** @description Why the peck is denied; told to the requester */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            denied: true;
                            peck_id: string;
                            reason: string | null;
                            /** @enum {string} */
                            status: "rejected";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/peck/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pecks sent and received by the caller, newest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    direction?: "sent" | "received";
                    limit?: number;
                    status?: "pending" | "approved" | "rejected" | "expired" | "cancelled";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            next_cursor: string | null;
                            pecks: {
                                action: string | null;
                                connection_id: string | null;
                                created_at: string;
                                decided_at: string | null;
                                direction: "sent" | "received";
                                expires_at: string;
                                payload: {
                                    [key: string]: unknown;
                                } | null;
                                peck_id: string;
                                purpose: string | null;
                                reason: string | null;
                                requester_duckling_id: string;
                                requester_id: string;
                                requester_type: string;
                                scope: string | null;
                                status: string;
                                target_duckling_id: string;
                                target_email: string | null;
                                target_id: string;
                                target_type: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/peck/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pending pecks waiting for the caller's decision */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        limit?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pecks: {
                                action: string | null;
                                connection_id: string | null;
                                created_at: string;
                                decided_at: string | null;
                                direction: "sent" | "received";
                                expires_at: string;
                                payload: {
                                    [key: string]: unknown;
                                } | null;
                                peck_id: string;
                                purpose: string | null;
                                reason: string | null;
                                requester_duckling_id: string;
                                requester_id: string;
                                requester_type: string;
                                scope: string | null;
                                status: string;
                                target_duckling_id: string;
                                target_email: string | null;
                                target_id: string;
                                target_type: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/peck/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deny a peck as its target; the requester is told */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The target's Beak Key (seed 002); prefer the Authorization header */
                        beak_key?: string;
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /** @description The target duckling (when given it must be the peck's target) */
                        duckling_id?: string;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                        /** @description The peck to decide */
                        peck_id: string;
                        /** @description Why the peck is denied; told to the requester */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            denied: true;
                            peck_id: string;
                            reason: string | null;
                            /** @enum {string} */
                            status: "rejected";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/peck/request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask a duckling or Space Duck for a trust bond; the target is emailed a code */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description What is asked for, e.g. read:profile or query; "peck" is just the verb */
                        action?: string;
                        /** @description Free-form JSON object, at most 8 KiB serialized */
                        payload?: {
                            [key: string]: unknown;
                        };
                        /** @description Shown to the target: why you ask */
                        purpose?: string;
                        /** @description Idempotency key */
                        request_id?: string;
                        /** @description Synonym of requester_spaceduck_id */
                        requester_agent_id?: string;
                        /** @description The caller (dk_… or sd_…) or one of its agents; defaults to the caller */
                        requester_id?: string;
                        /** @description An agent of the caller (or the calling agent) that sends the peck */
                        requester_spaceduck_id?: string;
                        /** @description Scope of the bond, e.g. limited */
                        scope?: string;
                        /** @description A duckling id (or a Space Duck id) */
                        target?: string;
                        /** @description Synonym of target_spaceduck_id */
                        target_agent_id?: string;
                        /** @description The target duckling */
                        target_duckling_id?: string;
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        target_email?: string;
                        /** @description The target Space Duck (agent) */
                        target_spaceduck_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            expires_at: string;
                            message: string;
                            peck_id: string;
                            /** @enum {string} */
                            status: "pending";
                            target_email?: string;
                            target_id: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/profile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in duckling's profile */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bio: string | null;
                            cert_id: string | null;
                            /** @description valid | revoked | superseded | none */
                            cert_status: string;
                            created_at: string;
                            directory_visible: boolean;
                            display_name: string;
                            duckling_id: string;
                            /** @description Space Ducks (agents) registered by this duckling */
                            egg_count: number;
                            email: string;
                            email_verified: boolean;
                            name_changed_at: string | null;
                            next_name_change_at: string | null;
                            phone: string | null;
                            phone_verified: boolean;
                            trust_tier: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/profile/update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Update display name (once per 30 days), bio and directory visibility */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        bio?: string | null;
                        directory_visible?: boolean;
                        /** @description 3–32 letters, digits, spaces, "_" or "-" */
                        display_name?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bio: string | null;
                            cert_id: string | null;
                            /** @description valid | revoked | superseded | none */
                            cert_status: string;
                            created_at: string;
                            directory_visible: boolean;
                            display_name: string;
                            duckling_id: string;
                            /** @description Space Ducks (agents) registered by this duckling */
                            egg_count: number;
                            email: string;
                            email_verified: boolean;
                            name_changed_at: string | null;
                            next_name_change_at: string | null;
                            phone: string | null;
                            phone_verified: boolean;
                            trust_tier: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/pulse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Heartbeat of an agent (or duckling): keeps it active in Mission Control */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        agent_id?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        duckling_id?: string;
                        /** @description Flat object: ≤ 32 keys, values string | number | boolean of ≤ 256 characters */
                        meta?: {
                            [key: string]: unknown;
                        };
                        spaceduck_id?: string;
                        /** @description active | paused | terminating (case-insensitive; default active) */
                        status?: string;
                        /** @description Ignored: the server clock decides */
                        timestamp?: number | string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active_bonds: number;
                            agent_id?: string;
                            duckling_id: string;
                            last_seen: string;
                            liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                            message: string;
                            spaceduck_id?: string;
                            /** @enum {string} */
                            status: "ok";
                            trust_tier: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a Space Duck under the calling duckling (T1+): its own Beak Key and a handshake token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        agent_name: string;
                        agent_type?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        capabilities?: string[];
                        duckling_id?: string;
                        model?: string;
                        parent_id?: string;
                        provider?: string;
                        request_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id: string;
                            agent_name: string;
                            agent_type: string | null;
                            /** @description The agent's Beak Key, shown only this once */
                            beak_key: string;
                            beak_key_preview: string | null;
                            bonded_at: string | null;
                            capabilities: string[];
                            created_at: string;
                            deregistered_at: string | null;
                            duckling_id: string;
                            handshake_expires_at: string;
                            /** @description Single use, valid 24 h: POST /beak/agent/bond */
                            handshake_token: string;
                            key_expires_at: string;
                            key_id: string;
                            last_seen: string | null;
                            last_status: string | null;
                            liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                            message: string;
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            model: string | null;
                            parent_id: string | null;
                            provider: string | null;
                            spaceduck_id: string;
                            /** @description registered | bonded | deregistered */
                            status: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password with the emailed code; verifies the email and signs out every session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Only when the reset verified the email: the first Beak Key, shown once */
                            beak_key?: string;
                            cert_id?: string;
                            duckling_id: string;
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                            trust_tier?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate a Beak Key: the old one stops working at once (or after grace_seconds) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action?: string;
                        agent_id?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        duckling_id?: string;
                        /** @description Lifetime in days (default 90) */
                        expires_in_days?: number;
                        /** @description Keep the old key working this long (default 0) */
                        grace_seconds?: number;
                        spaceduck_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id?: string;
                            /** @description Seed 002 reads this name (same value) */
                            beak_key: string;
                            duckling_id: string;
                            expires_at: string;
                            grace_until: string | null;
                            key_id: string;
                            message: string;
                            /** @description Seed 000 reads this name */
                            new_beak_key: string;
                            owner_type: string;
                            previous_key_id: string | null;
                            rotated_at: string;
                            spaceduck_id?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/signin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with password or emailed code; `{ email }` alone emails a code */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action?: string;
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                        issue_beak_key?: boolean;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description Only with `issue_beak_key: true`; shown once */
                            beak_key?: string;
                            display_name: string;
                            duckling_id: string;
                            email: string;
                            expires_at: string;
                            expires_in: number;
                            token: string;
                            /** @enum {string} */
                            token_type: "Bearer";
                            trust_tier: string;
                        } | {
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/signout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke this session on every node */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hatch a duckling (sign up); emails a verification code */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action?: string;
                        /** @description 3–32 letters, digits, spaces, "_" or "-" */
                        display_name?: string;
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                        password?: string;
                        /** @description E.164 phone number, e.g. +447700900123 */
                        phone?: string;
                        referral_code?: string;
                        request_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            display_name: string;
                            duckling_id: string;
                            email: string;
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                            /** @enum {string} */
                            trust_tier: "T0";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/spaceducks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public directory of masked duckling profiles; with duckling_id, that duckling's Space Ducks */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    duckling_id?: string;
                    limit?: number;
                    /** @description Display-name prefix (case-insensitive) */
                    q?: string;
                    tier?: "T0" | "T1" | "T2" | "T3";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            duckling_id?: string;
                            /** @description The caller's own full profile */
                            me?: {
                                [key: string]: unknown;
                            };
                            next_cursor: string | null;
                            spaceducks: ({
                                agent_id: string;
                                agent_name: string;
                                agent_type: string | null;
                                beak_key: string | null;
                                beak_key_preview: string | null;
                                bonded_at: string | null;
                                capabilities: string[];
                                created_at: string;
                                deregistered_at: string | null;
                                duckling_id: string;
                                key_expires_at: string | null;
                                key_id: string | null;
                                last_seen: string | null;
                                last_status: string | null;
                                liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                                meta: {
                                    [key: string]: unknown;
                                } | null;
                                model: string | null;
                                parent_id: string | null;
                                provider: string | null;
                                spaceduck_id: string;
                                /** @description registered | bonded | deregistered */
                                status: string;
                            } | {
                                bio: string | null;
                                cert_id: string | null;
                                certified: boolean;
                                created_at: string;
                                display_name: string;
                                duckling_id: string;
                                space_ducks: number;
                                trust_tier: string;
                            } | {
                                agent_id: string;
                                agent_name: string;
                                agent_type: string | null;
                                capabilities: string[];
                                created_at: string;
                                duckling_id: string;
                                liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                                parent_id: string | null;
                                spaceduck_id: string;
                                /** @description registered | bonded | deregistered */
                                status: string;
                            })[];
                            view?: "owner" | "public";
                        };
                    };
                };
            };
        };
        put?: never;
        /** A duckling's Space Ducks: full view for the owner, masked public view for anyone else */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        cursor?: string;
                        duckling_id?: string;
                        limit?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            duckling_id?: string;
                            /** @description The caller's own full profile */
                            me?: {
                                [key: string]: unknown;
                            };
                            next_cursor: string | null;
                            spaceducks: ({
                                agent_id: string;
                                agent_name: string;
                                agent_type: string | null;
                                beak_key: string | null;
                                beak_key_preview: string | null;
                                bonded_at: string | null;
                                capabilities: string[];
                                created_at: string;
                                deregistered_at: string | null;
                                duckling_id: string;
                                key_expires_at: string | null;
                                key_id: string | null;
                                last_seen: string | null;
                                last_status: string | null;
                                liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                                meta: {
                                    [key: string]: unknown;
                                } | null;
                                model: string | null;
                                parent_id: string | null;
                                provider: string | null;
                                spaceduck_id: string;
                                /** @description registered | bonded | deregistered */
                                status: string;
                            } | {
                                bio: string | null;
                                cert_id: string | null;
                                certified: boolean;
                                created_at: string;
                                display_name: string;
                                duckling_id: string;
                                space_ducks: number;
                                trust_tier: string;
                            } | {
                                agent_id: string;
                                agent_name: string;
                                agent_type: string | null;
                                capabilities: string[];
                                created_at: string;
                                duckling_id: string;
                                liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                                parent_id: string | null;
                                spaceduck_id: string;
                                /** @description registered | bonded | deregistered */
                                status: string;
                            })[];
                            view?: "owner" | "public";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/spaceducks/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a Space Duck under the calling duckling (T1+): its own Beak Key and a handshake token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        agent_name: string;
                        agent_type?: string;
                        /** @description Credential (alternative to the Authorization header) */
                        beak_key?: string;
                        capabilities?: string[];
                        duckling_id?: string;
                        model?: string;
                        parent_id?: string;
                        provider?: string;
                        request_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agent_id: string;
                            agent_name: string;
                            agent_type: string | null;
                            /** @description The agent's Beak Key, shown only this once */
                            beak_key: string;
                            beak_key_preview: string | null;
                            bonded_at: string | null;
                            capabilities: string[];
                            created_at: string;
                            deregistered_at: string | null;
                            duckling_id: string;
                            handshake_expires_at: string;
                            /** @description Single use, valid 24 h: POST /beak/agent/bond */
                            handshake_token: string;
                            key_expires_at: string;
                            key_id: string;
                            last_seen: string | null;
                            last_status: string | null;
                            liveness: "active" | "paused" | "terminated" | "inactive" | "never";
                            message: string;
                            meta: {
                                [key: string]: unknown;
                            } | null;
                            model: string | null;
                            parent_id: string | null;
                            provider: string | null;
                            spaceduck_id: string;
                            /** @description registered | bonded | deregistered */
                            status: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/sso/bridge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange your SSO token for a session scoped to `target` (audience `sso:<target>`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        sso_token: string;
                        /** @description The relying application, e.g. mission-control */
                        target: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            audience: string;
                            /** @enum {boolean} */
                            bridged: true;
                            expires_at: string;
                            target: string;
                            /** @enum {string} */
                            token_type: "Bearer";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/sso/issue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A single-use SSO token for a relying domain (5 minutes) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        scope?: string;
                        /** @description Host name of the relying domain, e.g. duckcontrol.com */
                        target_domain: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            expires_at: string;
                            scope: string | null;
                            sso_token: string;
                            target_domain: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/sso/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Redeem an SSO token (public, single use): who it speaks for, or valid:false */
        get: {
            parameters: {
                query: {
                    token: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            display_name?: string;
                            duckling_id?: string;
                            expires_at?: string;
                            message?: string;
                            /** @description unknown | used | expired | inactive */
                            reason?: string;
                            scope?: string | null;
                            target_domain?: string;
                            trust_tier?: string;
                            valid: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Account status by duckling id (details for the owner only) */
        get: {
            parameters: {
                query?: {
                    duckling_id?: string;
                    /** @description Email address (case-insensitive) */
                    email?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_status?: string;
                            connected_agents?: number;
                            duckling_id?: string;
                            email?: string;
                            email_verified?: boolean;
                            liveness_verified?: boolean;
                            phone_verified?: boolean;
                            /** @description active | pending | suspended for those allowed to see; otherwise unknown (or not_found for administrators) */
                            status: string;
                            trust_tier?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Account status by email (details for the owner only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_status?: string;
                            connected_agents?: number;
                            duckling_id?: string;
                            email?: string;
                            email_verified?: boolean;
                            liveness_verified?: boolean;
                            phone_verified?: boolean;
                            /** @description active | pending | suspended for those allowed to see; otherwise unknown (or not_found for administrators) */
                            status: string;
                            trust_tier?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/support/contact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Open a support ticket; the support address is emailed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                        message: string;
                        request_id?: string;
                        subject?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: string;
                            ticket_id: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/system/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health of the platform and its dependencies */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            agents_alive: number;
                            api_latency_ms: number | null;
                            components: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            lambda_version: string;
                            status: "operational" | "degraded" | "outage";
                            timestamp: string;
                            uptime_s: number;
                            version: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/trust/elevate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** T2: `{ phone }` texts a code (202); `{ phone, otp }` proves the phone and issues a new certificate */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                        /** @description E.164 phone number, e.g. +447700900123 */
                        phone: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_id: string | null;
                            message: string;
                            phone_verified: boolean;
                            /** @enum {boolean} */
                            success: true;
                            trust_tier: string;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            expires_in: number;
                            phone: string;
                            /** @enum {string} */
                            status: "otp_sent";
                        };
                    };
                };
            };
        };
        /** T2: `{ phone }` texts a code (202); `{ phone, otp }` proves the phone and issues a new certificate */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                        /** @description E.164 phone number, e.g. +447700900123 */
                        phone: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cert_id: string | null;
                            message: string;
                            phone_verified: boolean;
                            /** @enum {boolean} */
                            success: true;
                            trust_tier: string;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            expires_in: number;
                            phone: string;
                            /** @enum {string} */
                            status: "otp_sent";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/unpeck": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Remove a trust bond (either side may) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The bond */
                        connection_id?: string;
                        /** @description The peer of the bond */
                        target_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            connection_id: string;
                            /** @enum {string} */
                            status: "unbonded";
                            unbonded_at: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify the email with the emailed code: T1, birth certificate, first Beak Key, session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        action?: string;
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description The first Beak Key; shown once */
                            beak_key: string;
                            cert_id: string;
                            display_name: string;
                            duckling_id: string;
                            email: string;
                            expires_at: string;
                            expires_in: number;
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                            token: string;
                            /** @enum {string} */
                            token_type: "Bearer";
                            trust_tier: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify the signed-in duckling's email with the emailed code */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The 6-digit one-time code */
                        code?: string;
                        /** @description The 6-digit one-time code */
                        otp?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description The first Beak Key; shown once */
                            beak_key: string;
                            cert_id: string;
                            display_name: string;
                            duckling_id: string;
                            email: string;
                            expires_at: string;
                            expires_in: number;
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                            token: string;
                            /** @enum {string} */
                            token_type: "Bearer";
                            trust_tier: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/verify/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a new verification code (always 200) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @description Email address (case-insensitive)
                         */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            next_cursor: string | null;
                            webhooks: {
                                created_at: string;
                                description: string | null;
                                disabled_reason: string | null;
                                events: string[];
                                failing_since: string | null;
                                previous_secret_expires_at: string | null;
                                status: "enabled" | "disabled";
                                updated_at: string;
                                url: string;
                                webhook_id: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Register a webhook endpoint; the signing secret is shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        /** @description Event types (canonical names or aliases: hatch, peck, cert_issued, tier_change), or ["*"] for all */
                        events: string[];
                        request_id?: string;
                        /** @description http(s) URL of the receiver */
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at: string;
                            description: string | null;
                            disabled_reason: string | null;
                            events: string[];
                            failing_since: string | null;
                            previous_secret_expires_at: string | null;
                            /** @description whsec_… — shown only in this response */
                            secret: string;
                            status: "enabled" | "disabled";
                            updated_at: string;
                            url: string;
                            webhook_id: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook endpoint */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at: string;
                            description: string | null;
                            disabled_reason: string | null;
                            events: string[];
                            failing_since: string | null;
                            previous_secret_expires_at: string | null;
                            status: "enabled" | "disabled";
                            updated_at: string;
                            url: string;
                            webhook_id: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a webhook endpoint and its delivery log */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            deleted: true;
                            /** @enum {boolean} */
                            success: true;
                            webhook_id: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change the URL, events, description or status (re-enabling clears the failure record) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: null | string;
                        /** @description Event types (canonical names or aliases: hatch, peck, cert_issued, tier_change), or ["*"] for all */
                        events?: string[];
                        status?: "enabled" | "disabled";
                        /** @description http(s) URL of the receiver */
                        url?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at: string;
                            description: string | null;
                            disabled_reason: string | null;
                            events: string[];
                            failing_since: string | null;
                            previous_secret_expires_at: string | null;
                            status: "enabled" | "disabled";
                            updated_at: string;
                            url: string;
                            webhook_id: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/beak/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The attempts log, newest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    event_id?: string;
                    limit?: number;
                    status?: "succeeded" | "failed";
                };
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: {
                                attempt_id: string;
                                created_at: string;
                                delivery_status: "pending" | "succeeded" | "failed";
                                duration_ms: number;
                                error: string | null;
                                event_id: string;
                                event_type: string;
                                next_attempt_at: string | null;
                                ok: boolean;
                                response_excerpt: string | null;
                                status: "succeeded" | "failed";
                                status_code: number | null;
                                webhook_id: string;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/webhooks/{webhook_id}/deliveries/{event_id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send an event to this endpoint again (queued now, retried as usual) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    event_id: string;
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            event_id: string;
                            event_type: string;
                            /** @enum {string} */
                            status: "pending";
                            webhook_id: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/webhooks/{webhook_id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue again every delivery that failed for good since a time (at most 14 days back) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: date-time */
                        since: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            recovered: number;
                            since: string;
                            webhook_id: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/webhooks/{webhook_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** New signing secret (shown once); the previous one also signs during the overlap (default 24 h) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description How long the previous secret keeps signing (default 86400) */
                        overlap_seconds?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at: string;
                            description: string | null;
                            disabled_reason: string | null;
                            events: string[];
                            failing_since: string | null;
                            previous_secret_expires_at: string | null;
                            /** @description whsec_… — shown only in this response */
                            secret: string;
                            status: "enabled" | "disabled";
                            updated_at: string;
                            url: string;
                            webhook_id: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/beak/webhooks/{webhook_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a sample event now and return the attempt */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhook_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        event_type?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempt_id: string;
                            created_at: string;
                            duration_ms: number;
                            error: string | null;
                            event_id: string;
                            event_type: string;
                            ok: boolean;
                            response_excerpt: string | null;
                            status: "succeeded" | "failed";
                            status_code: number | null;
                            webhook_id: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
