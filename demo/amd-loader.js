// A stand-in for the AMD loaders (RequireJS, Dojo) many CMS themes still ship: it records every
// define() call, so the page can show that anam-persona did not register itself through it.
(function () {
  var defined = [];
  function define(name, deps, factory) {
    defined.push(typeof name === 'string' ? name : '(anonymous)');
    var body = typeof name === 'function' ? name : typeof deps === 'function' ? deps : factory;
    if (typeof body === 'function') body();
  }
  define.amd = { jQuery: true };
  window.define = define;
  window.amdDefinedModules = defined;
})();
