export function securityHeaders(production: boolean): { key: string; value: string }[];
export const STRICT_PERMISSIONS_POLICY: string;
