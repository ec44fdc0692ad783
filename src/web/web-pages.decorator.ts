import { applyDecorators } from '@nestjs/common';
import { ApiCookieAuth, ApiProduces, ApiTags } from '@nestjs/swagger';

/**
 * Marks a controller of HTML pages. They are listed in the OpenAPI document too (every route
 * is), under their own tag: forms post `application/x-www-form-urlencoded` with a `_csrf` field
 * and answer with pages or 303 redirects, not JSON.
 */
export const WebPages = () =>
  applyDecorators(ApiTags('web pages (HTML)'), ApiProduces('text/html'), ApiCookieAuth('thresholds_session'));
