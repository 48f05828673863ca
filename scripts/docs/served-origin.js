/*
 * The docs name the sandbox that serves them. The site is static, so the page learns where it is from
 * `location`: served over http(s) (the sandbox serves it at /docs/, wherever it runs), the curl and SDK
 * samples, the reference's server list and the Postman collection's baseUrl use the page's origin. Opened
 * from the file system there is no origin to use, and they keep the documented default: the local sandbox
 * that `npm start` runs (this script tag's data-default-origin).
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var fallback = script && script.getAttribute('data-default-origin');
  var served = /^https?:$/.test(location.protocol) ? location.origin : null;
  var active = Boolean(fallback && served && served !== fallback);

  function replaced(text) {
    return text.split(fallback).join(served);
  }

  /** Every string of a JSON value with the default origin replaced, in place. */
  function rewriteValue(value) {
    if (Array.isArray(value)) {
      for (var i = 0; i < value.length; i++) value[i] = rewriteValue(value[i]);
      return value;
    }
    if (value && typeof value === 'object') {
      for (var key in value) if (Object.prototype.hasOwnProperty.call(value, key)) value[key] = rewriteValue(value[key]);
      return value;
    }
    return typeof value === 'string' && value.indexOf(fallback) !== -1 ? replaced(value) : value;
  }

  /** Text of code blocks (guides): curl lines and SDK base URLs. */
  function rewriteCode(root) {
    var blocks = root.querySelectorAll('pre code, pre');
    for (var i = 0; i < blocks.length; i++) {
      var walker = document.createTreeWalker(blocks[i], NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeValue.indexOf(fallback) !== -1) node.nodeValue = replaced(node.nodeValue);
      }
    }
  }

  /** The Postman links download the collection with baseUrl set to this origin (a Blob made from the file). */
  function rewritePostman(root) {
    var links = root.querySelectorAll('a[href$=".postman_collection.json"]');
    if (links.length === 0) return;
    var file = links[0].getAttribute('href');
    fetch(file)
      .then(function (response) {
        if (!response.ok) throw new Error(file + ': ' + response.status);
        return response.json();
      })
      .then(function (collection) {
        var url = URL.createObjectURL(new Blob([JSON.stringify(rewriteValue(collection), null, 2)], { type: 'application/json' }));
        for (var i = 0; i < links.length; i++) {
          links[i].setAttribute('download', file.split('/').pop());
          links[i].setAttribute('href', url);
          links[i].setAttribute('data-base-origin', served);
        }
      })
      .catch(function () {
        /* the static file, with the default baseUrl, stays linked */
      });
  }

  window.starshipDocs = {
    defaultOrigin: fallback,
    origin: active ? served : fallback,
    /**
     * Before Redoc renders a reference page: the definition's servers and samples name this origin. The
     * prerendered markup shows the default one, so it is dropped and Redoc renders afresh, not hydrates.
     */
    prepareReference: function (definition, container) {
      if (!active) return;
      var servers = Array.isArray(definition.servers) ? definition.servers : [];
      var originOf = function (server) {
        try {
          return new URL(server.url).origin;
        } catch (error) {
          return null;
        }
      };
      var here = servers.filter(function (server) {
        return originOf(server) === served;
      });
      if (here.length > 0) {
        // A listed server (the hosted sandbox) serves these docs: it goes first.
        definition.servers = here.concat(servers.filter(function (server) { return originOf(server) !== served; }));
      } else {
        var local = servers.filter(function (server) { return originOf(server) === fallback; })[0];
        var path = local ? new URL(local.url).pathname : '';
        definition.servers = [{ url: served + path, description: 'This sandbox (it serves these docs)' }].concat(servers);
      }
      var groups = [definition.paths, definition.webhooks];
      for (var g = 0; g < groups.length; g++) {
        for (var key in groups[g] || {}) {
          var item = groups[g][key];
          for (var method in item) {
            if (item[method] && Array.isArray(item[method]['x-codeSamples'])) rewriteValue(item[method]['x-codeSamples']);
          }
        }
      }
      if (container) container.replaceChildren();
      rewritePostman(document);
    },
  };

  if (!active) return;
  document.addEventListener('DOMContentLoaded', function () {
    if (document.getElementById('redoc')) return;
    rewriteCode(document);
    rewritePostman(document);
  });
})();
