/** Permission rules for this area's routes (filled in as its routes are built). */
export const methadonePermissions = {};
