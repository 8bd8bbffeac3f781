import { ApiError } from '../../http/api-error.ts';
import { MAX_UPLOAD_VIDEO_BYTES, readUploadStream } from './upload-content.ts';

// Room for the multipart framing and small fields around the file.
const MULTIPART_SLACK = 64 * 1024;

/** Counts bytes through, failing with 413 past `limit`, so a form parser never holds more. */
function limited(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let total = 0;
  return body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > limit) {
          controller.error(new ApiError('payload_too_large', `This upload may not exceed ${limit} bytes.`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * The uploaded file's bytes from a raw body (any content type: it is not trusted) or a
 * multipart form's `file` field, read within the upload limits.
 */
export async function uploadedBytes(request: Request): Promise<Uint8Array> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) return readUploadStream(request.body);
  if (!request.body) throw new ApiError('invalid_request', 'The upload is empty.');
  let form: FormData;
  try {
    form = await new Request('http://upload.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: limited(request.body, MAX_UPLOAD_VIDEO_BYTES + MULTIPART_SLACK),
      duplex: 'half',
    } as RequestInit).formData();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof Error && error.cause instanceof ApiError) throw error.cause;
    throw new ApiError('invalid_request', 'The multipart body cannot be read.');
  }
  const file = form.get('file');
  if (!(file instanceof Blob)) throw new ApiError('invalid_request', 'The form has no `file` field.');
  return readUploadStream(file.stream());
}
