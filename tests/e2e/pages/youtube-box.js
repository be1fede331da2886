// YouTube's comment box (site-markup.md §5a): clicking #placeholder-area of the simplebox opens
// ytd-commentbox with the contenteditable #contenteditable-root and #submit-button.
(function () {
  var area = document.getElementById('placeholder-area');
  area.addEventListener('click', function () {
    var box = document.getElementById('fixture-commentbox');
    box.hidden = false;
    box.querySelector('#contenteditable-root').focus();
  });
})();
