export * from '../format/metadata.js';
