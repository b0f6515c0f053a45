/** Permission rules for this area's routes (every route needs one; every rule a route). */
export const reportsPermissions = {};
