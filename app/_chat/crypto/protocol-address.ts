/** Who a session is with: a user and one of their devices (each device has its own keys). */
export interface ProtocolAddress {
  readonly userId: string;
  readonly deviceId: number;
}

/** A stable map key for an address. */
export function addressKey(address: ProtocolAddress): string {
  return `${address.deviceId}.${address.userId}`;
}
