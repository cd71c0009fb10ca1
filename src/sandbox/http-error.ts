/** An API-level refusal, rendered as OVH's `{class, message}` body. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorClass: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new SandboxHttpError(400, 'Client::BadRequest', message);
export const notFound = (message: string) => new SandboxHttpError(404, 'Client::NotFound', message);
