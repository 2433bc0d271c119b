/** Ids the simulator and its service replay give a freelancer's jobs, proposals and purchases. */
export function simIds(freelancerId: string) {
  return {
    job: (no: number) => `${freelancerId}.j${no}`,
    proposal: (no: number) => `${freelancerId}.p${no}`,
    purchase: (no: number) => `${freelancerId}.b${no}`,
  };
}

/** The id of synthetic freelancer `index`. */
export const syntheticId = (index: number): string => `sim-${index}`;
